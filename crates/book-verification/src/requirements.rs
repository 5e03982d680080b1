//! Run blocks that need something a machine may lack (`needs-<requirement>`): where it is
//! missing, that block and every later executed block of its chapter, up to the next block
//! that moves the session to another folder, are not run here. They share the session's
//! shell and folder, so what follows a step that could not be taken proves nothing; a block
//! that starts over in another folder (a reader's own project, the book's clone) does not
//! depend on it. The chapter's test and the list of ignored tests both ask this module.

use std::path::Path;

use crate::book::{Block, Chapter};
use crate::fence::Verification;
use crate::vocabulary::Vocabulary;

/// Where a chapter stops running on this machine, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmet {
    /// Index of the first block whose requirement is missing.
    pub from_index: usize,
    /// Index of the next block that moves the session to another folder, where running
    /// resumes; `None` for the chapter's end.
    pub until_index: Option<usize>,
    /// The reason every block from there on is not run.
    pub reason: String,
}

impl Unmet {
    /// Whether `block` is one of the executed blocks this leaves unrun.
    pub fn covers(&self, block: &Block) -> bool {
        block.index >= self.from_index
            && self.until_index.is_none_or(|until| block.index < until)
            && is_executed_in_session(&block.verification)
    }
}

/// Every stretch of `chapter` that does not run under `root` for a missing requirement.
pub fn unmet(chapter: &Chapter, root: &Path, vocabulary: &Vocabulary) -> Vec<Unmet> {
    let mut stretches: Vec<Unmet> = Vec::new();
    for block in &chapter.blocks {
        if stretches.last().is_some_and(|u| u.until_index.is_none_or(|until| block.index < until)) {
            continue;
        }
        let Some(key) = block.needs.as_ref().or(block.stand_in.as_ref()) else { continue };
        let Some(requirement) = vocabulary.requirement(key.as_str()) else { continue };
        if root.join(&requirement.installed_when).exists() {
            continue;
        }
        let until_index =
            chapter.blocks.iter().skip(block.index + 1).find(|b| b.folder.is_some()).map(|b| b.index);
        stretches.push(Unmet { from_index: block.index, until_index, reason: requirement.missing.clone() });
    }
    stretches
}

fn is_executed_in_session(v: &Verification) -> bool {
    matches!(
        v,
        Verification::Run | Verification::Server { .. } | Verification::Output | Verification::File { .. }
    )
}

/// The first block of `chapter` whose requirement is not installed under `root`, if any.
pub fn first_unmet(chapter: &Chapter, root: &Path, vocabulary: &Vocabulary) -> Option<Unmet> {
    unmet(chapter, root, vocabulary).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn chapter(infos: &[&str]) -> Chapter {
        let blocks = infos.iter().enumerate().map(|(i, info)| testing::block(i, info, "", None)).collect();
        testing::chapter(blocks)
    }

    #[test]
    fn a_missing_requirement_stops_the_rest_of_the_chapter() {
        let ch = chapter(&[
            "console,run",
            "yaml,tested",
            "console,run,background,port-3002,needs-ts-worker",
            "text,output",
            "ts,checked-tsc",
            "console,run",
        ]);
        let empty = std::env::temp_dir().join(format!("bv-requirements-{}", std::process::id()));
        let unmet = first_unmet(&ch, &empty, Vocabulary::get()).expect("nothing is installed there");
        assert_eq!(unmet.from_index, 2);
        assert!(unmet.reason.contains("@tasker-systems/tasker"), "{}", unmet.reason);
        let unrun: Vec<usize> = ch.blocks.iter().filter(|b| unmet.covers(b)).map(|b| b.index).collect();
        assert_eq!(unrun, [2, 3, 5], "a checked block keeps its own evidence");
    }

    #[test]
    fn running_resumes_where_the_session_moves_to_another_folder() {
        let ch = chapter(&[
            "console,run,in-new-folder",
            "console,run,needs-ts-worker",
            "console,run",
            "console,run,in-book-clone",
            "console,run",
            "console,run,background,port-3002,needs-ts-worker",
            "console,run",
        ]);
        let nowhere = std::env::temp_dir().join(format!("bv-requirements-folders-{}", std::process::id()));
        let stretches = unmet(&ch, &nowhere, Vocabulary::get());
        let unrun: Vec<usize> =
            ch.blocks.iter().filter(|b| stretches.iter().any(|u| u.covers(b))).map(|b| b.index).collect();
        assert_eq!(unrun, [1, 2, 5, 6]);
    }

    #[test]
    fn an_installed_requirement_changes_nothing() {
        let ch = chapter(&["console,run,needs-ts-worker"]);
        let root = std::env::temp_dir().join(format!("bv-requirements-met-{}", std::process::id()));
        let marker = root.join(&Vocabulary::get().requirement("ts-worker").unwrap().installed_when);
        std::fs::create_dir_all(marker.parent().unwrap()).unwrap();
        std::fs::write(&marker, "{}").unwrap();
        let unmet = first_unmet(&ch, &root, Vocabulary::get());
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(unmet, None);
        assert_eq!(
            first_unmet(&chapter(&["console,run"]), Path::new("/nonexistent"), Vocabulary::get()),
            None
        );
    }
}
