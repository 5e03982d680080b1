//! The book's rules, enforced at build time, and its Rust programs compiled into the tests.
//! The thinking is in crates/book-verification; this only wires it: load → check → emit.

use std::path::PathBuf;

use book_verification::{Book, codegen, policy};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for input in ["src", "book.toml"] {
        println!("cargo:rerun-if-changed={input}");
    }

    let book = Book::load(&root).unwrap_or_else(|e| panic!("{e}"));
    // Only the listing files the chapters include: an edit elsewhere under listings/ (an
    // app's tests, its lock file) changes nothing this script reads. A file that goes
    // missing keeps this script rerunning until the chapter stops including it.
    for file in book.included_files() {
        println!("cargo:rerun-if-changed={file}");
    }
    let problems = policy::check(&book);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
        panic!(
            "the book breaks {} rule(s):\n{}\n(rules: TESTING.md, \"The book as tests\")",
            problems.len(),
            list.join("\n")
        );
    }
    codegen::emit(&book, &out_dir).expect("writing the book's Rust programs");
}
