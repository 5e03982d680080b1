//! How many of a chapter's blocks each verification covers: the table a chapter opens with,
//! counted from the same typed verifications the badges come from.

use crate::book::Block;
use crate::fence::{Category, Kind};
use crate::vocabulary::Vocabulary;

/// One column per badge label, in order of the strength of the guarantee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub columns: Vec<(String, usize)>,
}

/// Counts per category, for the provenance stamp.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub executed: usize,
    pub checked: usize,
    pub not_run: usize,
}

impl Totals {
    pub fn add(&mut self, category: Category) {
        match category {
            Category::Executed => self.executed += 1,
            Category::Checked => self.checked += 1,
            Category::NotRun => self.not_run += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.executed + self.checked + self.not_run
    }
}

impl Summary {
    pub fn of(kinds: impl IntoIterator<Item = Kind>, vocabulary: &Vocabulary) -> Summary {
        let mut kinds: Vec<Kind> = kinds.into_iter().collect();
        kinds.sort_by_key(|k| (k.category(), *k));
        let mut columns: Vec<(String, usize)> = Vec::new();
        for kind in kinds {
            let label = kind.label(vocabulary);
            match columns.iter_mut().find(|(l, _)| *l == label) {
                Some((_, n)) => *n += 1,
                None => columns.push((label, 1)),
            }
        }
        Summary { columns }
    }

    pub fn of_blocks(blocks: &[Block], vocabulary: &Vocabulary) -> Summary {
        Summary::of(blocks.iter().map(|b| b.verification.kind()), vocabulary)
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// A one-row Markdown table.
    pub fn to_markdown(&self) -> String {
        let head: Vec<&str> = self.columns.iter().map(|(l, _)| l.as_str()).collect();
        let counts: Vec<String> = self.columns.iter().map(|(_, n)| n.to_string()).collect();
        format!(
            "| {} |\n|{}|\n| {} |\n",
            head.join(" | "),
            vec!["---"; self.columns.len()].join("|"),
            counts.join(" | ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fence::Checker;

    #[test]
    fn columns_follow_the_strength_of_the_guarantee_and_merge_equal_labels() {
        let v = Vocabulary::get();
        let s = Summary::of(
            [
                Kind::NotRun,
                Kind::Output,
                Kind::Run,
                Kind::Server,
                Kind::CheckedNotRun(Checker::Tsc),
                Kind::Tested,
                Kind::Run,
            ],
            v,
        );
        let labels: Vec<(&str, usize)> = s.columns.iter().map(|(l, n)| (l.as_str(), *n)).collect();
        assert_eq!(
            labels,
            vec![
                ("executed", 3),
                ("real output", 1),
                ("compiled & tested", 1),
                ("checked with tsc; not executed here", 1),
                ("not executed here", 1),
            ]
        );
    }

    #[test]
    fn renders_as_a_one_row_table() {
        let s = Summary { columns: vec![("executed".into(), 2), ("real output".into(), 1)] };
        assert_eq!(s.to_markdown(), "| executed | real output |\n|---|---|\n| 2 | 1 |\n");
    }

    #[test]
    fn totals_count_categories() {
        let mut t = Totals::default();
        for k in [Kind::Run, Kind::Generated, Kind::NotRun, Kind::Output] {
            t.add(k.category());
        }
        assert_eq!(t, Totals { executed: 2, checked: 1, not_run: 1 });
        assert_eq!(t.total(), 4);
    }
}
