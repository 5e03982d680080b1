//! The book as readers see it: chapters loaded with mdBook's own loader, `{{#include}}`
//! expanded with mdBook's own preprocessor, and every code block with its parsed
//! verification.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use serde::{Deserialize, Serialize};

use crate::fence::{Fence, Folder, RequirementKey, Verification};
use crate::includes::{included_file, includes};
use crate::markdown;
use crate::problem::{Problem, ProblemKind};
use crate::vocabulary::Vocabulary;

/// One fenced code block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// Position among the chapter's code blocks (0-based): how the report and the
    /// preprocessor, which see different line numbers, agree on a block.
    pub index: usize,
    /// 1-based line of the opening fence in the chapter's source file.
    pub line: usize,
    /// Source lines of the body, for `SNAPSHOTS=overwrite` (first, last).
    pub body_lines: (usize, usize),
    pub info: String,
    pub lang: String,
    pub verification: Verification,
    /// What the block needs installed to run (`needs-<requirement>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<RequirementKey>,
    /// Where the chapter's session goes before the block runs (`in-new-folder`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<Folder>,
    /// The requirement whose stand-in runs in this not-run block's place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stand_in: Option<RequirementKey>,
    /// The body as readers see it (includes expanded).
    pub shown: String,
    /// The listing file the body is included from (relative to the repository), when the
    /// source body is one `{{#include}}`.
    pub include: Option<String>,
}

impl Block {
    /// Identifies the shown content, so a report made for other content is not trusted.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.info, &self.shown)
    }
}

/// FNV-1a over the info string and the body: stable across Rust versions and machines.
pub fn fingerprint(info: &str, shown: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in info.bytes().chain([0]).chain(shown.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Chapter {
    /// Relative to the book's `src/`, as mdBook names it: `quickstart/axum.md`.
    pub path: String,
    pub name: String,
    pub blocks: Vec<Block>,
    /// The source text, includes unexpanded.
    #[serde(skip)]
    pub raw: String,
    /// The text readers see.
    #[serde(skip)]
    pub expanded: String,
}

impl Chapter {
    /// The chapter's file relative to the repository: `src/quickstart/axum.md`.
    pub fn file(&self) -> String {
        format!("src/{}", self.path)
    }
}

#[derive(Debug)]
pub struct Book {
    pub root: PathBuf,
    pub chapters: Vec<Chapter>,
    /// What loading found wrong (unparsable fences, drafts); `policy::check` adds the rest.
    pub load_problems: Vec<Problem>,
}

impl Book {
    /// Loads the book at `root` (the directory of book.toml).
    pub fn load(root: &Path) -> Result<Book, String> {
        let vocabulary = Vocabulary::get();
        let md = MDBook::load(root).map_err(|e| format!("mdBook cannot load the book: {e:#}"))?;
        let ctx = PreprocessorContext::new(root.to_path_buf(), md.config.clone(), "html".into());
        let expanded = LinkPreprocessor::new()
            .run(&ctx, md.book.clone())
            .map_err(|e| format!("mdBook's include expansion failed: {e:#}"))?;

        let raw_chapters: Vec<_> = md.book.iter().filter_map(as_chapter).collect();
        let mut chapters = Vec::new();
        let mut load_problems = Vec::new();
        for ch in expanded.iter().filter_map(as_chapter) {
            let Some(path) = ch.path.as_ref() else {
                load_problems.push(Problem::new(
                    "src/SUMMARY.md",
                    1,
                    ProblemKind::Draft { name: ch.name.clone() },
                ));
                continue;
            };
            let raw = raw_chapters
                .iter()
                .find(|r| r.path.as_ref() == Some(path))
                .map(|r| r.content.clone())
                .unwrap_or_default();
            let mut chapter = Chapter {
                path: path.to_string_lossy().into_owned(),
                name: ch.name.clone(),
                blocks: Vec::new(),
                raw,
                expanded: ch.content.clone(),
            };
            chapter.blocks = blocks_of(&chapter, vocabulary, &mut load_problems);
            chapters.push(chapter);
        }
        Ok(Book { root: root.to_path_buf(), chapters, load_problems })
    }

    pub fn chapter(&self, path: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.path == path)
    }

    pub fn blocks(&self) -> impl Iterator<Item = (&Chapter, &Block)> {
        self.chapters.iter().flat_map(|c| c.blocks.iter().map(move |b| (c, b)))
    }

    /// The files the chapters include, relative to the repository. With `src/` and
    /// book.toml they are everything the book's rules and its generated tests read, so
    /// build.rs asks to rerun when one of them changes, and not on every edit under
    /// `listings/`.
    pub fn included_files(&self) -> BTreeSet<String> {
        self.chapters.iter().flat_map(|c| includes(&c.path, &c.raw).into_iter().map(|i| i.path)).collect()
    }
}

fn as_chapter(item: &BookItem) -> Option<&mdbook_driver::book::Chapter> {
    match item {
        BookItem::Chapter(ch) => Some(ch),
        _ => None,
    }
}

/// Pairs each source block with the block readers see, and parses its fence.
fn blocks_of(chapter: &Chapter, vocabulary: &Vocabulary, problems: &mut Vec<Problem>) -> Vec<Block> {
    let file = chapter.file();
    let raw_blocks = markdown::code_blocks(&chapter.raw);
    let shown_blocks = markdown::code_blocks(&chapter.expanded);
    if raw_blocks.len() != shown_blocks.len() {
        problems.push(Problem::new(
            &file,
            1,
            ProblemKind::FenceCountChanged { raw: raw_blocks.len(), shown: shown_blocks.len() },
        ));
        return Vec::new();
    }
    let mut blocks = Vec::new();
    for (index, (raw, shown)) in raw_blocks.into_iter().zip(shown_blocks).enumerate() {
        let Some(info) = raw.info.clone() else {
            problems.push(Problem::new(&file, raw.line, ProblemKind::Indented));
            continue;
        };
        match Fence::parse(&info, vocabulary) {
            Ok(fence) => blocks.push(Block {
                index,
                line: raw.line,
                body_lines: raw.body_lines,
                include: included_file(&chapter.path, &raw.body),
                info,
                lang: fence.lang,
                verification: fence.verification,
                needs: fence.needs,
                folder: fence.folder,
                stand_in: fence.stand_in,
                shown: shown.body,
            }),
            Err(error) => problems.push(Problem::new(&file, raw.line, ProblemKind::Fence { info, error })),
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_change_with_info_or_body() {
        let a = fingerprint("console,run", "echo hi\n");
        assert_eq!(a, fingerprint("console,run", "echo hi\n"));
        assert_ne!(a, fingerprint("console,run", "echo ho\n"));
        assert_ne!(a, fingerprint("bash,run", "echo hi\n"));
        assert_eq!(a.len(), 16);
    }
}
