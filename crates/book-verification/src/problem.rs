//! What the book's rules found wrong: a file, a line and what is wrong there. The loader
//! (book) and the rules (policy) both report problems; neither depends on the other for it.

use std::fmt;

use crate::fence::{FenceError, Kind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Relative to the repository: `src/quickstart/axum.md`.
    pub file: String,
    pub line: usize,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The info string does not parse.
    Fence {
        info: String,
        error: FenceError,
    },
    /// An indented code block: it has no info string to say how it is verified.
    Indented,
    /// A SUMMARY.md entry without a file.
    Draft {
        name: String,
    },
    /// An included file brought its own fences, so source and shown blocks do not pair up.
    FenceCountChanged {
        raw: usize,
        shown: usize,
    },
    /// The block is empty as readers see it.
    Empty,
    /// An mdBook directive survived expansion.
    Unexpanded,
    /// An `output` block that follows no shell `run` block.
    OutputWithoutRun,
    /// A `run,background` block without a port, not followed by the `output` that says it
    /// is ready.
    BackgroundWithoutOutput,
    /// A badge that names a suite or a tool, on code that is not included from `listings/`.
    NotFromListing {
        kind: Kind,
    },
    /// A `tested` block whose file no suite covers (vocabulary.toml, [suites]).
    NotCovered {
        file: String,
    },
    /// A mermaid block not included from a generated `.mmd` file.
    DiagramNotGenerated,
    IncludeMissingFile {
        file: String,
    },
    IncludeMissingAnchor {
        file: String,
        anchor: String,
    },
    IncludeEmpty {
        directive: String,
    },
    /// A listing line wider than the book's code blocks show without scrolling.
    TooWide {
        file: String,
        width: usize,
        line: String,
    },
    /// A chapter runs an endpoint, a `tasker-ctl` command or a `TASKER_*` variable that the
    /// Reference page does not list.
    NotInReference {
        name: String,
    },
    /// The Reference page lists something no executed block uses.
    ListedButUnused {
        name: String,
    },
}

/// The widest line a listing may show: what a code block holds at the book's usual width.
pub const MAX_LISTING_COLUMNS: usize = 90;

impl Problem {
    pub fn new(file: &str, line: usize, kind: ProblemKind) -> Problem {
        Problem { file: file.to_string(), line, kind }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        match &self.kind {
            ProblemKind::Fence { info, error } => write!(f, "```{info} {error}"),
            ProblemKind::Indented => {
                f.write_str("an indented code block cannot say how it is verified; use a fence")
            }
            ProblemKind::Draft { name } => write!(f, "chapter \"{name}\" is a draft (no file)"),
            ProblemKind::FenceCountChanged { raw, shown } => write!(
                f,
                "{raw} code blocks in the file but {shown} after includes (does an included file contain a fence?)"
            ),
            ProblemKind::Empty => f.write_str("the block is empty as readers see it"),
            ProblemKind::Unexpanded => f.write_str("an mdBook directive was left unexpanded"),
            ProblemKind::OutputWithoutRun => f.write_str("an `output` block must follow a shell `run` block"),
            ProblemKind::BackgroundWithoutOutput => f.write_str(
                "a `run,background` block without `port-N` must be followed by the `output` it prints once \
                 ready",
            ),
            ProblemKind::NotFromListing { kind } => {
                write!(
                    f,
                    "`{kind}` blocks must be included from listings/, where their suite or tool sees them"
                )
            }
            ProblemKind::NotCovered { file } => write!(
                f,
                "`tested`, but no suite runs {file} (crates/book-verification/vocabulary.toml, [suites])"
            ),
            ProblemKind::DiagramNotGenerated => f.write_str(
                "a mermaid diagram must be included from a .mmd file that tests/diagrams.rs generates",
            ),
            ProblemKind::IncludeMissingFile { file } => write!(f, "include of a missing file `{file}`"),
            ProblemKind::IncludeMissingAnchor { file, anchor } => {
                write!(f, "`{file}` has no anchor `{anchor}` (ANCHOR: {anchor} … ANCHOR_END: {anchor})")
            }
            ProblemKind::IncludeEmpty { directive } => write!(f, "include `{directive}` is empty"),
            ProblemKind::TooWide { file, width, line } => write!(
                f,
                "a line of {file} is {width} columns wide (at most {MAX_LISTING_COLUMNS} are shown without scrolling): {line}"
            ),
            ProblemKind::NotInReference { name } => write!(
                f,
                "`{name}` is used here but src/{} does not list it (a table row starting with `{name}`)",
                crate::reference::PAGE
            ),
            ProblemKind::ListedButUnused { name } => {
                write!(f, "`{name}` is listed, but no executed block of the book uses it: remove its row")
            }
        }
    }
}
