//! The model of a verified code block, in one place.
//!
//! A chapter's code blocks say, in the words after their language, how the book's tests
//! verify them (`console,run`, `json,output`, `ts,checked-tsc,not-run-npm` …). This crate
//! parses those words once ([`fence`]), loads the book as readers see it ([`book`]) with the
//! files it includes ([`includes`]), holds the rules a chapter must follow ([`policy`]),
//! counts what each chapter's blocks claim ([`summary`]), joins a test run's evidence into a
//! report ([`report`]), and renders badges, summaries and a provenance stamp into the HTML
//! ([`render`], the mdBook preprocessor).
//! Labels and reasons are data: `vocabulary.toml` ([`vocabulary`]).
//!
//! Everything here runs without a stack; the tests that need Tasker live in the workspace's
//! root package (`tests/`), which uses these same types.

#[cfg(test)]
mod badge_contrast;
pub mod book;
pub mod codegen;
pub mod drift;
pub mod external_links;
pub mod fence;
pub mod includes;
pub mod leftovers;
pub mod links;
pub mod markdown;
pub mod paths;
pub mod pins;
pub mod policy;
pub mod problem;
pub mod reference;
pub mod render;
pub mod report;
pub mod requirements;
pub mod summary;
#[cfg(test)]
mod testing;
pub mod versions;
pub mod vocabulary;

pub use book::{Block, Book, Chapter};
pub use fence::{Category, Checker, Fence, FenceError, Folder, Kind, RequirementKey, Verification};
pub use problem::{Problem, ProblemKind};
pub use report::{Evidence, Outcome, Record, Report};
pub use vocabulary::Vocabulary;
