//! The `{{#include ...}}` directives of the chapters' sources: what the book's rules check
//! (policy) and what build.rs watches.

use std::collections::BTreeSet;
use std::path::Path;

use crate::book::{Book, Chapter, normalize};

/// One `{{#include ...}}` of a chapter's source.
pub struct Include<'a> {
    /// The line of the chapter it is on, from 1.
    pub line: usize,
    /// The directive's argument as written: `../listings/a.rs:anchor`.
    pub directive: &'a str,
    /// The file as written, relative to the chapter: `../listings/a.rs`.
    pub target: &'a str,
    /// What follows the file: an anchor name, or a line range.
    pub selector: Option<&'a str>,
    /// The file relative to the repository: `listings/a.rs`.
    pub path: String,
}

/// Every include directive of the chapter's source, in order.
pub fn includes(chapter: &Chapter) -> Vec<Include<'_>> {
    let chapter_dir = Path::new("src").join(&chapter.path);
    let chapter_dir = chapter_dir.parent().unwrap_or(Path::new("src"));
    let mut found = Vec::new();
    for (n, line) in chapter.raw.lines().enumerate() {
        for directive in directives(line) {
            let (target, selector) = match directive.split_once(':') {
                Some((t, s)) => (t, Some(s)),
                None => (directive, None),
            };
            let path = normalize(&chapter_dir.join(target));
            found.push(Include { line: n + 1, directive, target, selector, path });
        }
    }
    found
}

/// The files the chapters include, relative to the repository. With `src/` and book.toml
/// they are everything the book's rules and its generated tests read, so build.rs asks to
/// rerun when one of them changes, and not on every edit under `listings/`.
pub fn included_files(book: &Book) -> BTreeSet<String> {
    book.chapters.iter().flat_map(|c| includes(c).into_iter().map(|i| i.path)).collect()
}

/// The arguments of the include directives on one line.
fn directives(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{#") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let mut words = after[..end].trim().splitn(2, char::is_whitespace);
        if let (Some("include" | "rustdoc_include"), Some(arg)) = (words.next(), words.next()) {
            found.push(arg.trim());
        }
        rest = &after[end + 2..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn included_files_are_named_from_the_repository_once_each() {
        let ch = |path: &str, raw: &str| Chapter {
            path: path.into(),
            name: "Ch".into(),
            blocks: vec![],
            raw: raw.into(),
            expanded: String::new(),
        };
        let book = Book {
            root: "/nowhere".into(),
            chapters: vec![
                ch(
                    "quickstart/a.md",
                    "{{#include ../../listings/a.rs:x}}\n{{#include ../../listings/a.rs:y}}\n",
                ),
                ch("b.md", "text {{#rustdoc_include ../listings/b.rs:3:9}} text\n"),
            ],
            load_problems: vec![],
        };
        let files: Vec<String> = included_files(&book).into_iter().collect();
        assert_eq!(files, ["listings/a.rs", "listings/b.rs"]);
    }

    #[test]
    fn include_directives_are_found_on_a_line() {
        assert_eq!(directives("{{#include a.rs:x}} and {{#rustdoc_include b.rs}}"), vec!["a.rs:x", "b.rs"]);
        assert_eq!(directives("{{#title Hi}}"), Vec::<&str>::new());
    }
}
