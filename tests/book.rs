//! The book as tests, from the chapters as readers see them (book_verification loads them
//! at run time with mdBook's own loader). One test per chapter runs its shell blocks against
//! the live stack (`scripts/stack up`); one per Rust program runs it; blocks that cannot run
//! here are listed as ignored tests with their reason, and fail if forced to run.

use std::panic::AssertUnwindSafe;

use book_verification::requirements::unmet;
use book_verification::{Book, Evidence, Outcome, Record, Verification, Vocabulary};
use libtest_mimic::{Arguments, Failed, Trial};
use tasker_quickstarts::{RustProgram, chapter, evidence, repo_root, require_stack};

// The book's `rust,run` and `rust,compile` programs, compiled into this crate (build.rs).
include!(concat!(env!("OUT_DIR"), "/rust_programs.rs"));

fn main() {
    let mut args = Arguments::from_args();
    // Chapters share the stack, the apps' ports and the task namespaces: one at a time.
    args.test_threads = Some(1);
    let book = match Book::load(&repo_root()) {
        Ok(book) => book,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(101);
        }
    };
    libtest_mimic::run(&args, trials(book)).exit();
}

fn trials(book: Book) -> Vec<Trial> {
    let vocabulary = Vocabulary::get();
    let mut trials = vec![Trial::test("rust_programs_compiled", {
        let expected: Vec<(String, usize, String)> = book
            .blocks()
            .filter(|(_, b)| matches!(b.verification, Verification::RustRun | Verification::RustCompile))
            .map(|(c, b)| (c.path.clone(), b.index, b.fingerprint()))
            .collect();
        move || programs_compiled(&expected)
    })];
    for chapter in &book.chapters {
        let runs = chapter.blocks.iter().any(|b| {
            matches!(b.verification, Verification::Run | Verification::Server { .. } | Verification::Output)
        });
        if runs {
            let ch = chapter.clone();
            trials.push(Trial::test(format!("chapter::{}", chapter.path), move || {
                chapter::run_chapter(&ch).map_err(Failed::from)
            }));
        }
        // Blocks after a missing requirement: ignored tests with the reason, like not-run ones.
        let stretches = unmet(chapter, &repo_root(), vocabulary);
        for block in &chapter.blocks {
            let at = format!("{}:{}", chapter.file(), block.line);
            if let Some(unmet) = stretches.iter().find(|u| u.covers(block)) {
                let why = format!("{at}: not executed here: {}", unmet.reason);
                trials.push(
                    Trial::test(format!("not_run::{at}"), move || Err(Failed::from(why.clone())))
                        .with_kind("not run: a requirement is missing")
                        .with_ignored_flag(true),
                );
                continue;
            }
            match &block.verification {
                Verification::RustRun => {
                    let program =
                        RUST_PROGRAMS.iter().find(|p| p.chapter == chapter.path && p.index == block.index);
                    let (chapter_path, index) = (chapter.path.clone(), block.index);
                    trials.push(Trial::test(format!("rust::{at}"), move || {
                        run_program(program, &chapter_path, index, &at)
                    }));
                }
                // A block that cannot run here is an ignored test with its reason: cargo
                // counts it as ignored, never passed; forced with --include-ignored, it fails.
                v => {
                    if let Some(reason) = v.reason() {
                        let checked =
                            if matches!(v, Verification::CheckedNotRun { .. }) { "checked; " } else { "" };
                        let text = vocabulary.reason(reason.as_str()).unwrap_or("");
                        let why = format!("{at}: {checked}not executed here: {text}");
                        trials.push(
                            Trial::test(format!("not_run::{at}"), move || Err(Failed::from(why.clone())))
                                .with_kind(format!("not run: {}", reason.as_str()))
                                .with_ignored_flag(true),
                        );
                    }
                }
            }
        }
    }
    trials
}

/// This crate compiled, so its programs did: evidence for `rust,compile` blocks, once each
/// compiled program is the content the chapter shows now.
fn programs_compiled(expected: &[(String, usize, String)]) -> Result<(), Failed> {
    for (chapter, index, fingerprint) in expected {
        let compiled = RUST_PROGRAMS.iter().find(|p| p.chapter == chapter && p.index == *index);
        if compiled.is_none_or(|p| p.fingerprint != fingerprint) {
            return Err(format!(
                "src/{chapter}: Rust block {} changed since this test crate was built; rebuild",
                index + 1
            )
            .into());
        }
    }
    evidence::record(&Record::new(Evidence::TestCrate, Outcome::Passed));
    Ok(())
}

fn run_program(
    program: Option<&'static RustProgram>,
    chapter: &str,
    index: usize,
    at: &str,
) -> Result<(), Failed> {
    let evidence = Evidence::RustProgram { chapter: chapter.to_string(), index };
    let result = (|| {
        let main = program
            .and_then(|p| p.run)
            .ok_or_else(|| format!("{at}: not compiled into this test crate; rebuild"))?;
        require_stack()?;
        eprintln!("running the Rust program at {at}");
        std::panic::catch_unwind(AssertUnwindSafe(main))
            .map_err(|_| format!("{at}: the program panicked (its output is above)"))
    })();
    let outcome = match &result {
        Ok(()) => Outcome::Passed,
        Err(message) => Outcome::Failed { message: message.clone() },
    };
    evidence::record(&Record::new(evidence, outcome));
    result.map_err(Failed::from)
}
