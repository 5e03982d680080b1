//! The rules every chapter must follow, as a list of problems: the build fails on any, and
//! names them all at once.

use std::path::Path;

use crate::book::{Block, Book, Chapter};
use crate::fence::Verification;
use crate::includes::includes;
pub use crate::problem::{MAX_LISTING_COLUMNS, Problem, ProblemKind};
use crate::vocabulary::Vocabulary;

/// Every rule over the whole book, plus what loading found.
pub fn check(book: &Book) -> Vec<Problem> {
    let vocabulary = Vocabulary::get();
    let mut problems = book.load_problems.clone();
    for chapter in &book.chapters {
        problems.extend(check_includes(&book.root, chapter));
        problems.extend(check_blocks(chapter, vocabulary));
    }
    problems.extend(crate::reference::check(book));
    problems
}

/// The rules about blocks, in order: an `output` needs the `run` before it.
pub fn check_blocks(chapter: &Chapter, vocabulary: &Vocabulary) -> Vec<Problem> {
    let file = chapter.file();
    let mut problems = Vec::new();
    let mut previous: Option<&Block> = None;
    for block in &chapter.blocks {
        let mut problem = |kind| problems.push(Problem::new(&file, block.line, kind));
        if block.shown.trim().is_empty() {
            problem(ProblemKind::Empty);
        }
        if block.shown.contains("{{#") {
            problem(ProblemKind::Unexpanded);
        }
        let from_listing = block.include.as_deref().filter(|f| f.starts_with("listings/"));
        if let Some(file) = from_listing
            && let Some(wide) = block.shown.lines().find(|l| l.chars().count() > MAX_LISTING_COLUMNS)
        {
            let (width, line) = (wide.chars().count(), wide.trim().to_string());
            problem(ProblemKind::TooWide { file: file.to_string(), width, line });
        }
        let waits_for_output = |b: &Block| b.verification == Verification::Server { port: None };
        if previous.is_some_and(waits_for_output) && block.verification != Verification::Output {
            problems.push(Problem::new(
                &file,
                previous.map_or(0, |p| p.line),
                ProblemKind::BackgroundWithoutOutput,
            ));
        }
        let mut problem = |kind| problems.push(Problem::new(&file, block.line, kind));
        match &block.verification {
            Verification::Output => {
                let after_run =
                    previous.is_some_and(|p| p.verification == Verification::Run || waits_for_output(p));
                if !after_run {
                    problem(ProblemKind::OutputWithoutRun);
                }
            }
            Verification::Generated if !block.include.as_deref().is_some_and(|f| f.ends_with(".mmd")) => {
                problem(ProblemKind::DiagramNotGenerated);
            }
            v if v.needs_listing() => match from_listing {
                None => problem(ProblemKind::NotFromListing { kind: v.kind() }),
                Some(f) if *v == Verification::Tested && vocabulary.suite_covering(f).is_none() => {
                    problem(ProblemKind::NotCovered { file: f.to_string() })
                }
                Some(_) => {}
            },
            _ => {}
        }
        previous = Some(block);
    }
    if previous.is_some_and(|p| p.verification == Verification::Server { port: None }) {
        let line = previous.map_or(0, |p| p.line);
        problems.push(Problem::new(&file, line, ProblemKind::BackgroundWithoutOutput));
    }
    problems
}

/// `{{#include file}}`, `{{#include file:anchor}}`, `{{#include file:10:20}}` and the
/// rustdoc_include form anywhere in the source. mdBook renders a missing file as raw text
/// and a missing anchor as an empty block, both with exit code 0.
pub fn check_includes(root: &Path, chapter: &Chapter) -> Vec<Problem> {
    let file = chapter.file();
    let mut problems = Vec::new();
    for include in includes(&chapter.path, &chapter.raw) {
        let mut problem = |kind| problems.push(Problem::new(&file, include.line, kind));
        let Ok(text) = std::fs::read_to_string(root.join(&include.path)) else {
            problem(ProblemKind::IncludeMissingFile { file: include.target.to_string() });
            continue;
        };
        let region = match include.selector {
            Some(anchor) if anchor.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') => {
                match anchor_region(&text, anchor) {
                    Some(region) => region,
                    None => {
                        problem(ProblemKind::IncludeMissingAnchor {
                            file: include.target.to_string(),
                            anchor: anchor.to_string(),
                        });
                        continue;
                    }
                }
            }
            _ => text,
        };
        if region.trim().is_empty() {
            problem(ProblemKind::IncludeEmpty { directive: include.directive.to_string() });
        }
    }
    problems
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, or None when either is missing.
fn anchor_region(text: &str, anchor: &str) -> Option<String> {
    let marker = |line: &str, word: &str| line.find(word).map(|i| line[i + word.len()..].trim() == anchor);
    let mut inside = false;
    let mut found = false;
    let mut region = String::new();
    for line in text.lines() {
        if marker(line, "ANCHOR_END:") == Some(true) {
            if !inside {
                return None;
            }
            inside = false;
        } else if marker(line, "ANCHOR:") == Some(true) {
            inside = true;
            found = true;
        } else if inside && !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
            region.push_str(line);
            region.push('\n');
        }
    }
    (found && !inside).then_some(region)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fence::{Checker, FenceError, Kind};

    use crate::testing::{block, chapter};

    fn kinds(ch: &Chapter) -> Vec<ProblemKind> {
        check_blocks(ch, Vocabulary::get()).into_iter().map(|p| p.kind).collect()
    }

    #[test]
    fn a_well_formed_chapter_has_no_problems() {
        let ch = chapter(vec![
            block(0, "console,run", "echo hi\n", None),
            block(1, "text,output", "hi\n", None),
            block(2, "rust,tested", "fn f() {}\n", Some("listings/axum/src/lib.rs")),
            block(3, "ts,checked-tsc,not-run-npm", "let x = 1;\n", Some("listings/bun/src/worker.ts")),
            block(4, "mermaid", "flowchart LR\n", Some("listings/axum/diagrams/x.mmd")),
            block(5, "console,not-run-docker", "docker compose up\n", None),
        ]);
        assert_eq!(kinds(&ch), vec![]);
    }

    #[test]
    fn output_must_follow_a_shell_run() {
        let first = chapter(vec![block(0, "text,output", "hi\n", None)]);
        assert_eq!(kinds(&first), vec![ProblemKind::OutputWithoutRun]);
        let after_server = chapter(vec![
            block(0, "console,run,background,port-3001", "serve\n", None),
            block(1, "text,output", "hi\n", None),
        ]);
        assert_eq!(kinds(&after_server), vec![ProblemKind::OutputWithoutRun]);
        let after_rust =
            chapter(vec![block(0, "rust,run", "fn main() {}\n", None), block(1, "text,output", "x\n", None)]);
        assert_eq!(kinds(&after_rust), vec![ProblemKind::OutputWithoutRun]);
    }

    #[test]
    fn a_background_block_without_a_port_is_followed_by_what_it_prints() {
        let ready = chapter(vec![
            block(0, "console,run,background", "./worker\n", None),
            block(1, "text,output", "worker running\n", None),
        ]);
        assert_eq!(kinds(&ready), vec![]);
        let silent = chapter(vec![
            block(0, "console,run,background", "./worker\n", None),
            block(1, "console,run", "curl x\n", None),
        ]);
        assert_eq!(kinds(&silent), vec![ProblemKind::BackgroundWithoutOutput]);
        let last = chapter(vec![block(0, "console,run,background", "./worker\n", None)]);
        assert_eq!(kinds(&last), vec![ProblemKind::BackgroundWithoutOutput]);
    }

    #[test]
    fn empty_and_unexpanded_blocks() {
        let ch = chapter(vec![
            block(0, "console,run", "  \n", None),
            block(1, "console,run", "{{#include x}}\n", None),
        ]);
        assert_eq!(kinds(&ch), vec![ProblemKind::Empty, ProblemKind::Unexpanded]);
    }

    #[test]
    fn tested_and_checked_code_comes_from_listings() {
        let ch = chapter(vec![
            block(0, "rust,tested", "fn f() {}\n", None),
            block(1, "ruby,checked-ruby", "puts 1\n", Some("notes/x.rb")),
        ]);
        assert_eq!(
            kinds(&ch),
            vec![
                ProblemKind::NotFromListing { kind: Kind::Tested },
                ProblemKind::NotFromListing { kind: Kind::Checked(Checker::Ruby) },
            ]
        );
    }

    #[test]
    fn tested_needs_a_suite_that_runs_the_file() {
        let ch = chapter(vec![block(0, "ts,tested", "x\n", Some("listings/bun/tests/app.test.ts"))]);
        assert_eq!(
            kinds(&ch),
            vec![ProblemKind::NotCovered { file: "listings/bun/tests/app.test.ts".into() }]
        );
    }

    #[test]
    fn listing_lines_fit_the_page() {
        let wide = format!("let x = \"{}\";\n", "y".repeat(90));
        let ch = chapter(vec![
            block(0, "rust,tested", &wide, Some("listings/axum/src/lib.rs")),
            block(1, "console,run", &format!("echo {}\n", "z".repeat(100)), None),
        ]);
        assert!(matches!(&kinds(&ch)[..], [ProblemKind::TooWide { width: 101, .. }]), "{:?}", kinds(&ch));
    }

    #[test]
    fn diagrams_come_from_generated_files() {
        let ch = chapter(vec![block(0, "mermaid", "flowchart LR\n", None)]);
        assert_eq!(kinds(&ch), vec![ProblemKind::DiagramNotGenerated]);
    }

    #[test]
    fn problems_name_file_and_line() {
        let p = Problem::new("src/ch.md", 12, ProblemKind::OutputWithoutRun);
        assert_eq!(p.to_string(), "src/ch.md:12: an `output` block must follow a shell `run` block");
        let p = Problem::new(
            "src/ch.md",
            3,
            ProblemKind::Fence { info: "console".into(), error: FenceError::Unlabelled },
        );
        assert!(p.to_string().starts_with("src/ch.md:3: ```console says neither"), "{p}");
    }

    #[test]
    fn anchors_need_both_markers() {
        let text = "a\n// ANCHOR: x\nbody\n// ANCHOR_END: x\nb\n";
        assert_eq!(anchor_region(text, "x").as_deref(), Some("body\n"));
        assert_eq!(anchor_region(text, "y"), None);
        assert_eq!(anchor_region("// ANCHOR: x\nbody\n", "x"), None);
        assert_eq!(anchor_region("// ANCHOR_END: x\n", "x"), None);
    }

    #[test]
    fn includes_of_missing_files_anchors_and_empty_regions() {
        let root = std::env::temp_dir().join(format!("bv-includes-{}", std::process::id()));
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(root.join("listings")).unwrap();
        std::fs::write(
            root.join("listings/a.rs"),
            "// ANCHOR: full\nfn f() {}\n// ANCHOR_END: full\n// ANCHOR: none\n// ANCHOR_END: none\n",
        )
        .unwrap();
        let raw = "{{#include ../listings/a.rs:full}}\n{{#include ../listings/a.rs:nope}}\n{{#include ../listings/b.rs}}\n{{#include ../listings/a.rs:none}}\n";
        let ch = Chapter {
            path: "ch.md".into(),
            name: "Ch".into(),
            blocks: vec![],
            raw: raw.into(),
            expanded: String::new(),
        };
        let found: Vec<_> = check_includes(&root, &ch).into_iter().map(|p| (p.line, p.kind)).collect();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(
            found,
            vec![
                (
                    2,
                    ProblemKind::IncludeMissingAnchor {
                        file: "../listings/a.rs".into(),
                        anchor: "nope".into()
                    }
                ),
                (3, ProblemKind::IncludeMissingFile { file: "../listings/b.rs".into() }),
                (4, ProblemKind::IncludeEmpty { directive: "../listings/a.rs:none".into() }),
            ]
        );
    }
}
