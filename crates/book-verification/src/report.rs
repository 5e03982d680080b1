//! The verification report: what each block's proof said in the last test run.
//!
//! Tests and `scripts/test` write *records* (one per piece of evidence: a chapter run, a
//! listing suite, a checker) into a results folder; `book-verification report` joins them
//! with the book into a report of every block, which the preprocessor stamps into the HTML.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::book::{Block, Book, Chapter};
use crate::fence::{Checker, Verification};
use crate::summary::Totals;
use crate::vocabulary::Vocabulary;

/// What proves a block.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "evidence", rename_all = "kebab-case")]
pub enum Evidence {
    /// The chapter's test (tests/book.rs): its shell, server and output blocks.
    Chapter { chapter: String },
    /// The test that runs one `rust,run` program.
    RustProgram { chapter: String, index: usize },
    /// The book's test crate was built, so every `rust,compile` program compiled.
    TestCrate,
    /// A listing's own suite (vocabulary.toml, [suites]).
    Suite { suite: String },
    /// A checker's test (tests/listing_checks.rs).
    Checker { checker: Checker },
    /// tests/diagrams.rs: every diagram is what its template generates.
    Diagrams,
}

impl Evidence {
    /// The evidence for a block; `None` when the block is not run at all.
    pub fn for_block(chapter: &Chapter, block: &Block, vocabulary: &Vocabulary) -> Option<Evidence> {
        Some(match &block.verification {
            Verification::Run
            | Verification::Server { .. }
            | Verification::Output
            | Verification::File { .. } => Evidence::Chapter { chapter: chapter.path.clone() },
            Verification::RustRun => {
                Evidence::RustProgram { chapter: chapter.path.clone(), index: block.index }
            }
            Verification::RustCompile => Evidence::TestCrate,
            Verification::Tested => {
                let suite = block.include.as_deref().and_then(|f| vocabulary.suite_covering(f))?;
                Evidence::Suite { suite: suite.to_string() }
            }
            Verification::Checked { checker } | Verification::CheckedNotRun { checker, .. } => {
                Evidence::Checker { checker: *checker }
            }
            Verification::Generated => Evidence::Diagrams,
            Verification::NotRun { .. } => return None,
        })
    }

    /// A file name for the record of this evidence.
    pub fn file_name(&self) -> String {
        let slug = |s: &str| s.replace(['/', '.'], "_");
        match self {
            Evidence::Chapter { chapter } => format!("chapter-{}.json", slug(chapter)),
            Evidence::RustProgram { chapter, index } => format!("rust-{}-{index}.json", slug(chapter)),
            Evidence::TestCrate => "test-crate.json".into(),
            Evidence::Suite { suite } => format!("suite-{suite}.json"),
            Evidence::Checker { checker } => format!("checker-{}.json", checker.word()),
            Evidence::Diagrams => "diagrams.json".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    Passed,
    Failed {
        message: String,
    },
    NotRun {
        reason: String,
    },
    /// No evidence for the block in the results (its test did not run or did not finish).
    Missing,
}

/// What one piece of evidence said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    #[serde(flatten)]
    pub evidence: Evidence,
    pub outcome: Outcome,
    /// For a chapter: each block's outcome by index; a block not listed was not reached.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub blocks: BTreeMap<usize, Outcome>,
    /// How long the test took, where its runner measured it (chapters, suites).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub millis: Option<u64>,
}

impl Record {
    pub fn new(evidence: Evidence, outcome: Outcome) -> Record {
        Record { evidence, outcome, blocks: BTreeMap::new(), millis: None }
    }

    pub fn took(mut self, duration: std::time::Duration) -> Record {
        self.millis = Some(duration.as_millis() as u64);
        self
    }

    pub fn write(&self, results_dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(results_dir)?;
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        // Written whole, then renamed: a reader never sees half a record.
        let path = results_dir.join(self.evidence.file_name());
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, path)
    }
}

/// Every record in a results folder.
pub fn read_records(results_dir: &Path) -> Result<Vec<Record>, String> {
    let Ok(entries) = std::fs::read_dir(results_dir) else { return Ok(Vec::new()) };
    let mut records = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let is_drift = path.file_name().is_some_and(|n| n == DriftResult::FILE);
        if path.extension().is_some_and(|e| e == "json") && !is_drift {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            records.push(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?);
        }
    }
    records.sort_by(|a: &Record, b: &Record| a.evidence.cmp(&b.evidence));
    Ok(records)
}

/// The measured records, slowest first, as the lines `scripts/test` prints under "time per
/// chapter and suite".
pub fn timings(records: &[Record]) -> Vec<String> {
    let mut timed: Vec<(f64, String)> = records
        .iter()
        .filter_map(|r| {
            let name = match &r.evidence {
                Evidence::Chapter { chapter } => format!("chapter src/{chapter}"),
                Evidence::Suite { suite } => format!("suite {suite}"),
                _ => return None,
            };
            r.millis.map(|ms| (ms as f64 / 1000.0, name))
        })
        .collect();
    timed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    timed.into_iter().map(|(s, name)| format!("{s:>9.1} s  {name}")).collect()
}

/// One block's line in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockResult {
    pub chapter: String,
    pub index: usize,
    pub line: usize,
    pub kind: String,
    pub fingerprint: String,
    /// The suite that proves a `tested` block (vocabulary.toml, [suites]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite: Option<String>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Where and what was verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub tasker_version: String,
    /// Full commit hash of the checkout.
    pub commit: String,
    /// The checkout had uncommitted changes.
    pub dirty: bool,
    /// UTC date of the run, `YYYY-MM-DD`.
    pub date: String,
}

/// The drift check's last result (`drift-check` writes it into the results folder).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftResult {
    pub caught: usize,
    pub total: usize,
    /// Cases whose test failed some other way than the expected message.
    pub broken: usize,
}

impl DriftResult {
    pub const FILE: &'static str = "drift-check.json";

    pub fn write(&self, results_dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(results_dir)?;
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(results_dir.join(Self::FILE), text)
    }

    pub fn read(results_dir: &Path) -> Option<DriftResult> {
        let text = std::fs::read_to_string(results_dir.join(Self::FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    #[serde(flatten)]
    pub provenance: Provenance,
    /// The drift check of the same run, when it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<DriftResult>,
    /// What each listing suite of the run said, by its name in vocabulary.toml.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub suites: BTreeMap<String, Outcome>,
    pub blocks: Vec<BlockResult>,
}

impl Report {
    /// Joins the book's blocks with the records of a test run.
    pub fn assemble(book: &Book, records: &[Record], provenance: Provenance) -> Report {
        let vocabulary = Vocabulary::get();
        let mut blocks = Vec::new();
        for (chapter, block) in book.blocks() {
            let evidence = Evidence::for_block(chapter, block, vocabulary);
            let suite = match &evidence {
                Some(Evidence::Suite { suite }) => Some(suite.clone()),
                _ => None,
            };
            let outcome = match evidence {
                None => Outcome::NotRun { reason: reason_text(&block.verification, vocabulary) },
                Some(evidence) => match records.iter().find(|r| r.evidence == evidence) {
                    None => Outcome::Missing,
                    Some(record) => outcome_of(record, block, vocabulary),
                },
            };
            blocks.push(BlockResult {
                chapter: chapter.path.clone(),
                index: block.index,
                line: block.line,
                kind: block.verification.kind().key(),
                fingerprint: block.fingerprint(),
                suite,
                outcome,
            });
        }
        let suites = records
            .iter()
            .filter_map(|r| match &r.evidence {
                Evidence::Suite { suite } => Some((suite.clone(), r.outcome.clone())),
                _ => None,
            })
            .collect();
        Report { provenance, drift: None, suites, blocks }
    }

    pub fn load(path: &Path) -> Result<Report, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: not a verification report: {e}", path.display()))
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(self).map_err(std::io::Error::other)?)
    }

    /// The result for a block, if the report has one for exactly this content.
    pub fn result_for(&self, chapter: &str, index: usize, fingerprint: &str) -> Option<&BlockResult> {
        self.blocks.iter().find(|b| b.chapter == chapter && b.index == index && b.fingerprint == fingerprint)
    }

    /// Blocks that did not pass (failed or missing), for the suite's closing lines.
    pub fn unproven(&self) -> impl Iterator<Item = &BlockResult> {
        self.blocks.iter().filter(|b| matches!(b.outcome, Outcome::Failed { .. } | Outcome::Missing))
    }

    /// Passed blocks per category; failed and missing ones are not counted.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for b in &self.blocks {
            if let Some(category) = crate::fence::Kind::from_key(&b.kind).map(|k| k.category()) {
                match b.outcome {
                    Outcome::Passed => totals.add(category),
                    // A checked block that cannot run still passed its check.
                    Outcome::NotRun { .. } if category == crate::fence::Category::Checked => {
                        totals.add(category)
                    }
                    Outcome::NotRun { .. } => totals.add(crate::fence::Category::NotRun),
                    _ => {}
                }
            }
        }
        totals
    }
}

fn reason_text(verification: &Verification, vocabulary: &Vocabulary) -> String {
    verification.reason().and_then(|r| vocabulary.reason(r.as_str())).unwrap_or("no reason given").to_string()
}

fn outcome_of(record: &Record, block: &Block, vocabulary: &Vocabulary) -> Outcome {
    let outcome = match &record.evidence {
        Evidence::Chapter { .. } => match (record.blocks.get(&block.index), &record.outcome) {
            (Some(o), _) => o.clone(),
            (None, Outcome::Passed) => Outcome::Missing,
            (None, Outcome::Failed { .. }) => {
                Outcome::Failed { message: "not reached: the chapter failed at an earlier block".into() }
            }
            (None, other) => other.clone(),
        },
        _ => record.outcome.clone(),
    };
    // A checked block that cannot run: its check passed, and it is still not run.
    match (outcome, &block.verification) {
        (Outcome::Passed, v @ Verification::CheckedNotRun { .. }) => {
            Outcome::NotRun { reason: reason_text(v, vocabulary) }
        }
        (outcome, _) => outcome,
    }
}

/// The checkout's commit and whether it has uncommitted changes, from git.
pub fn git_state(root: &Path) -> (String, bool) {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    (commit, dirty)
}

/// Today's UTC date as `YYYY-MM-DD`, from the system clock (days → civil date).
pub fn utc_date_today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil_date(secs.div_euclid(86_400))
}

/// Days since 1970-01-01 → `YYYY-MM-DD` (proleptic Gregorian calendar).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fence::Fence;

    fn block(index: usize, info: &str, include: Option<&str>) -> Block {
        let fence = Fence::parse(info, Vocabulary::get()).unwrap();
        Block {
            index,
            line: index + 1,
            body_lines: (0, 0),
            info: info.into(),
            lang: fence.lang,
            verification: fence.verification,
            needs: None,
            folder: None,
            stand_in: None,
            shown: format!("block {index}\n"),
            include: include.map(String::from),
        }
    }

    fn book(blocks: Vec<Block>) -> Book {
        let chapter = Chapter {
            path: "ch.md".into(),
            name: "Ch".into(),
            blocks,
            raw: String::new(),
            expanded: String::new(),
        };
        Book { root: ".".into(), chapters: vec![chapter], load_problems: vec![] }
    }

    fn provenance() -> Provenance {
        Provenance {
            tasker_version: "0.1.8".into(),
            commit: "abc".into(),
            dirty: false,
            date: "2026-11-28".into(),
        }
    }

    fn chapter_evidence() -> Evidence {
        Evidence::Chapter { chapter: "ch.md".into() }
    }

    #[test]
    fn timings_list_measured_chapters_and_suites_slowest_first() {
        let slow =
            Record::new(chapter_evidence(), Outcome::Passed).took(std::time::Duration::from_millis(12_300));
        let fast = Record::new(Evidence::Suite { suite: "bun".into() }, Outcome::Passed)
            .took(std::time::Duration::from_millis(900));
        let unmeasured = Record::new(Evidence::TestCrate, Outcome::Passed);
        assert_eq!(
            timings(&[fast, unmeasured, slow]),
            ["     12.3 s  chapter src/ch.md", "      0.9 s  suite bun"]
        );
    }

    #[test]
    fn each_block_takes_its_evidence_outcome() {
        let book = book(vec![
            block(0, "console,run", None),
            block(1, "yaml,tested", Some("listings/axum/templates/x.yaml")),
            block(2, "ts,checked-tsc,not-run-npm", Some("listings/bun/src/worker.ts")),
            block(3, "console,not-run-docker", None),
            block(4, "mermaid", Some("listings/axum/diagrams/x.mmd")),
        ]);
        let mut chapter = Record::new(chapter_evidence(), Outcome::Passed);
        chapter.blocks.insert(0, Outcome::Passed);
        let records = vec![
            chapter,
            Record::new(
                Evidence::Suite { suite: "axum".into() },
                Outcome::Failed { message: "exit 101".into() },
            ),
            Record::new(Evidence::Checker { checker: Checker::Tsc }, Outcome::Passed),
        ];
        let report = Report::assemble(&book, &records, provenance());
        let outcomes: Vec<&Outcome> = report.blocks.iter().map(|b| &b.outcome).collect();
        assert_eq!(outcomes[0], &Outcome::Passed);
        assert_eq!(outcomes[1], &Outcome::Failed { message: "exit 101".into() });
        assert!(matches!(outcomes[2], Outcome::NotRun { reason } if reason.contains("npm")));
        assert!(matches!(outcomes[3], Outcome::NotRun { reason } if reason.contains("Docker")));
        assert_eq!(outcomes[4], &Outcome::Missing, "no diagrams record");
        assert_eq!(report.unproven().count(), 2);
    }

    #[test]
    fn blocks_after_a_chapter_failure_were_not_reached() {
        let book = book(vec![
            block(0, "console,run", None),
            block(1, "text,output", None),
            block(2, "console,run", None),
        ]);
        let mut record = Record::new(chapter_evidence(), Outcome::Failed { message: "diff".into() });
        record.blocks.insert(0, Outcome::Passed);
        record.blocks.insert(1, Outcome::Failed { message: "diff".into() });
        let report = Report::assemble(&book, &[record], provenance());
        assert_eq!(report.blocks[1].outcome, Outcome::Failed { message: "diff".into() });
        assert!(
            matches!(&report.blocks[2].outcome, Outcome::Failed { message } if message.starts_with("not reached"))
        );
    }

    #[test]
    fn a_result_is_found_only_for_the_same_content() {
        let book = book(vec![block(0, "console,run", None)]);
        let report = Report::assemble(&book, &[], provenance());
        let fp = book.chapters[0].blocks[0].fingerprint();
        assert!(report.result_for("ch.md", 0, &fp).is_some());
        assert!(report.result_for("ch.md", 0, "0000000000000000").is_none());
        assert!(report.result_for("other.md", 0, &fp).is_none());
    }

    #[test]
    fn records_round_trip_through_the_results_folder() {
        let dir = std::env::temp_dir().join(format!("bv-records-{}", std::process::id()));
        let mut r = Record::new(chapter_evidence(), Outcome::Passed);
        r.blocks.insert(3, Outcome::Failed { message: "x".into() });
        r.write(&dir).unwrap();
        Record::new(Evidence::Suite { suite: "bun".into() }, Outcome::Passed).write(&dir).unwrap();
        let back = read_records(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(back.len(), 2);
        assert!(back.contains(&r));
    }

    #[test]
    fn totals_count_only_what_passed_or_is_labelled() {
        let book = book(vec![
            block(0, "console,run", None),
            block(1, "console,run", None),
            block(2, "console,not-run-docker", None),
        ]);
        let mut record = Record::new(chapter_evidence(), Outcome::Failed { message: "x".into() });
        record.blocks.insert(0, Outcome::Passed);
        let report = Report::assemble(&book, &[record], provenance());
        assert_eq!(report.totals(), Totals { executed: 1, checked: 0, not_run: 1 });
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_785), "2026-11-28");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
