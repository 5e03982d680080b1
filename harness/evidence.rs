//! Evidence for the verification report, written by the tests that produce it.

use book_verification::{Evidence, Outcome, Record};

use crate::paths::results_dir;

/// Writes one piece of evidence. A test must not pass while its evidence is lost, so a
/// failure to write panics.
pub fn record(record: &Record) {
    let dir = results_dir();
    record.write(&dir).unwrap_or_else(|e| panic!("writing evidence into {}: {e}", dir.display()));
}

/// Records `Passed` when dropped after the test's assertions, `Failed` when dropped while
/// the test panics. Hold it for the whole test: `let _evidence = Guard::new(…);`.
pub struct Guard {
    evidence: Evidence,
}

impl Guard {
    pub fn new(evidence: Evidence) -> Guard {
        Guard { evidence }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let outcome = if std::thread::panicking() {
            Outcome::Failed { message: "the test failed; its output says why".into() }
        } else {
            Outcome::Passed
        };
        let r = Record::new(self.evidence.clone(), outcome);
        // Never panic while already panicking.
        if let Err(e) = r.write(&results_dir()) {
            eprintln!("could not write evidence for {:?}: {e}", self.evidence);
        }
    }
}
