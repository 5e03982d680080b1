//! Blocks and chapters for the unit tests, built the way the loader builds them.

use crate::book::{Block, Chapter};
use crate::fence::Fence;
use crate::vocabulary::Vocabulary;

/// A block at line `10 * (index + 1)` whose fence is `info` (it must parse).
pub fn block(index: usize, info: &str, shown: &str, include: Option<&str>) -> Block {
    let fence = Fence::parse(info, Vocabulary::get()).unwrap();
    Block {
        index,
        line: 10 * (index + 1),
        body_lines: (0, 0),
        info: info.into(),
        lang: fence.lang,
        verification: fence.verification,
        needs: fence.needs,
        folder: fence.folder,
        stand_in: fence.stand_in,
        shown: shown.into(),
        include: include.map(String::from),
    }
}

/// A chapter `ch.md` of these blocks, with no source text.
pub fn chapter(blocks: Vec<Block>) -> Chapter {
    Chapter { path: "ch.md".into(), name: "Ch".into(), blocks, raw: String::new(), expanded: String::new() }
}
