//! The `{{#include ...}}` directives of a chapter's source, parsed once: what the book's
//! rules check (policy), what build.rs watches (Book::included_files) and which listing
//! file a block shows (Book::load).

use std::path::Path;

use crate::paths::normalize;

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

/// Every include directive of a chapter's source (`chapter_path` under `src/`), in order.
pub fn includes<'a>(chapter_path: &str, source: &'a str) -> Vec<Include<'a>> {
    let chapter_dir = Path::new("src").join(chapter_path);
    let chapter_dir = chapter_dir.parent().unwrap_or(Path::new("src"));
    let mut found = Vec::new();
    for (n, line) in source.lines().enumerate() {
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

/// The listing file a block's body shows, when the body is one include directive and
/// nothing else (relative to the repository).
pub fn included_file(chapter_path: &str, body: &str) -> Option<String> {
    let body = body.trim();
    let inner = body.strip_prefix("{{#")?.strip_suffix("}}")?;
    if inner.contains("{{#") || inner.contains("}}") {
        return None; // more than one directive
    }
    includes(chapter_path, body).pop().map(|include| include.path)
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
    fn includes_resolve_against_the_chapter() {
        let paths: Vec<String> = includes(
            "quickstart/a.md",
            "{{#include ../../listings/a.rs:x}}\ntext {{#rustdoc_include ../../listings/b.rs:3:9}}\n",
        )
        .into_iter()
        .map(|i| i.path)
        .collect();
        assert_eq!(paths, ["listings/a.rs", "listings/b.rs"]);
    }

    #[test]
    fn a_block_shows_a_file_when_its_body_is_one_include() {
        assert_eq!(
            included_file(
                "quickstart/axum.md",
                "{{#include ../../listings/axum/src/orders.rs:create_order}}\n"
            ),
            Some("listings/axum/src/orders.rs".into())
        );
        assert_eq!(
            included_file("stack.md", "{{#include ../listings/stack/docker-compose.yml}}"),
            Some("listings/stack/docker-compose.yml".into())
        );
        assert_eq!(included_file("stack.md", "echo {{#include x}}"), None);
    }

    #[test]
    fn include_directives_are_found_on_a_line() {
        assert_eq!(directives("{{#include a.rs:x}} and {{#rustdoc_include b.rs}}"), vec!["a.rs:x", "b.rs"]);
        assert_eq!(directives("{{#title Hi}}"), Vec::<&str>::new());
    }
}
