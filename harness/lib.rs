//! Runs the book's chapters against the live stack, and the helpers the workspace's other
//! tests share. What to run comes from `book_verification` (the chapters as readers see
//! them, loaded at run time); this crate decides how: one bash session per chapter so `cd`
//! and `export` carry over, servers in the background until the chapter ends, shown output
//! compared with real output after redacting what changes from run to run, and evidence of
//! every block's outcome for the verification report.

pub mod chapter;
pub mod env;
pub mod evidence;
pub mod http;
pub mod overwrite;
pub mod paths;
pub mod redact;
pub mod session;
pub mod stack;
pub mod webdriver;

pub use paths::{repo_root, state_dir};
pub use stack::{StackEnv, require_stack};

/// A Rust program of the book, compiled into the test crate by build.rs.
pub struct RustProgram {
    /// The chapter's path under src/.
    pub chapter: &'static str,
    /// The block's position in the chapter.
    pub index: usize,
    /// The block content it was compiled from (book_verification::Block::fingerprint).
    pub fingerprint: &'static str,
    /// Its `main`, for `rust,run`; `None` for `rust,compile`.
    pub run: Option<fn()>,
}

/// `SNAPSHOTS=overwrite`: tests rewrite what they compare against instead of failing.
pub fn overwrite_snapshots() -> bool {
    std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite")
}
