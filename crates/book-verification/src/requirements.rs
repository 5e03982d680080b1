//! Run blocks that need something a machine may lack (`needs-<requirement>`): where it is
//! missing, that block and every later executed block of its chapter are not run here. They
//! share the chapter's shell session, so what follows a step that could not be taken proves
//! nothing. The chapter's test and the list of ignored tests both ask this module.

use std::path::Path;

use crate::book::{Block, Chapter};
use crate::fence::Verification;
use crate::vocabulary::Vocabulary;

/// Where a chapter stops running on this machine, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmet {
    /// Index of the first block whose requirement is missing.
    pub from_index: usize,
    /// The reason every block from there on is not run.
    pub reason: String,
}

impl Unmet {
    /// Whether `block` is one of the executed blocks this leaves unrun.
    pub fn covers(&self, block: &Block) -> bool {
        block.index >= self.from_index && is_executed_in_session(&block.verification)
    }
}

fn is_executed_in_session(v: &Verification) -> bool {
    matches!(
        v,
        Verification::Run | Verification::Server { .. } | Verification::Output | Verification::File { .. }
    )
}

/// The first block of `chapter` whose requirement is not installed under `root`, if any.
pub fn first_unmet(chapter: &Chapter, root: &Path, vocabulary: &Vocabulary) -> Option<Unmet> {
    chapter.blocks.iter().find_map(|block| {
        let key = block.needs.as_ref()?;
        let requirement = vocabulary.requirement(key.as_str())?;
        if root.join(&requirement.installed_when).exists() {
            return None;
        }
        Some(Unmet { from_index: block.index, reason: requirement.missing.clone() })
    })
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
        assert!(unmet.reason.contains("TASKER_TS_PACKAGE"), "{}", unmet.reason);
        let unrun: Vec<usize> = ch.blocks.iter().filter(|b| unmet.covers(b)).map(|b| b.index).collect();
        assert_eq!(unrun, [2, 3, 5], "a checked block keeps its own evidence");
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
