//! The fence grammar: the words after a code block's language say how the book's tests
//! verify the block. They are parsed once, here, into a [`Verification`]; every other part
//! (tests, badges, summaries, report) works on that type.
//!
//! ```text
//! console,run                      run in the chapter's shell session
//! console,run,background,port-N    start a server, wait for it on port N
//! json,output                      the output of the previous `run` block
//! rust,run | rust,compile          compiled into the test crate (and run)
//! yaml,tested                      included from a listing whose own suite runs it
//! ts,checked-tsc                   checked by a tool (tsc, ruby)
//! ts,checked-tsc,not-run-npm       checked, and not executed here for a reason
//! console,not-run-docker           not executed here, for a reason
//! mermaid                          a diagram generated from a task template
//! console,run,needs-ts-worker      run only where a requirement is installed; elsewhere
//!                                  this block and the rest of its chapter are not run
//! console,run,background           start a program that serves no port; the `output`
//!                                  block after it is what it prints once it is ready
//! python,file=handlers.py          a file the reader saves: the chapter's session writes
//!                                  it (as shown) under that path, and later blocks run it
//! console,run,in-new-folder        run in a new empty folder outside the book's clone
//! console,run,in-book-clone        run at the root of the book's clone again
//! console,not-run-npm,stand-in-ts-worker
//!                                  not run here; where the requirement is installed, the
//!                                  session runs its stand-in command in the block's place
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::vocabulary::Vocabulary;

/// A tool that checks code it does not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checker {
    Tsc,
    Ruby,
}

impl Checker {
    pub const ALL: [Checker; 2] = [Checker::Tsc, Checker::Ruby];

    /// The word after `checked-`.
    pub fn word(self) -> &'static str {
        match self {
            Checker::Tsc => "tsc",
            Checker::Ruby => "ruby",
        }
    }

    fn from_word(word: &str) -> Option<Checker> {
        Checker::ALL.into_iter().find(|c| c.word() == word)
    }
}

/// The key of a `not-run-<reason>` word, known to be in the vocabulary.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReasonKey(String);

impl ReasonKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The key of a `needs-<requirement>` word, known to be in the vocabulary: something a run
/// block needs that a machine may lack (a package no registry it reaches has).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequirementKey(String);

impl RequirementKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How the book's tests verify one code block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Verification {
    /// A shell block run in the chapter's session; it must exit 0.
    Run,
    /// A shell block started in the background. The tests wait for `port` to answer, or,
    /// without one, for the program to print the `output` block that follows.
    Server { port: Option<u16> },
    /// What the previous `Run` block printed.
    Output,
    /// Part of a listing whose own test suite runs it.
    Tested,
    /// A Rust program compiled into the test crate.
    RustCompile,
    /// A Rust program compiled into the test crate and run.
    RustRun,
    /// Checked by a tool that does not run it.
    Checked { checker: Checker },
    /// Checked by a tool, and not executed here.
    CheckedNotRun { checker: Checker, reason: ReasonKey },
    /// Not executed here.
    NotRun { reason: ReasonKey },
    /// A diagram generated from a task template.
    Generated,
    /// A file the reader saves under `path` (relative to the session's folder): the
    /// chapter's session writes it there as shown, and the blocks after it run it.
    File { path: String },
}

/// How strong the guarantee is: what the provenance stamp counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Ran against Tasker (or is the output of something that did).
    Executed,
    /// Compiled, type-checked, syntax-checked or generated, but not run.
    Checked,
    /// Only labelled, with the reason.
    NotRun,
}

/// A verification without its data (port, reason): what a badge, a summary column and the
/// `data-verification` attribute name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Run,
    Server,
    Output,
    Tested,
    Compile,
    RustRun,
    Checked(Checker),
    CheckedNotRun(Checker),
    NotRun,
    Generated,
    File,
}

impl Kind {
    /// Kinds whose label lives under `[kinds.<key>]` in the vocabulary.
    pub const BASE_KEYS: [&'static str; 9] =
        ["run", "server", "output", "tested", "compile", "rust-run", "generated", "not-run", "file"];

    /// Stable key: `data-verification`, report entries, summary columns.
    pub fn key(self) -> String {
        match self {
            Kind::Run => "run".into(),
            Kind::Server => "server".into(),
            Kind::Output => "output".into(),
            Kind::Tested => "tested".into(),
            Kind::Compile => "compile".into(),
            Kind::RustRun => "rust-run".into(),
            Kind::Checked(c) => format!("checked-{}", c.word()),
            Kind::CheckedNotRun(c) => format!("checked-{}+not-run", c.word()),
            Kind::NotRun => "not-run".into(),
            Kind::Generated => "generated".into(),
            Kind::File => "file".into(),
        }
    }

    /// Every kind, for reading keys back.
    pub fn all() -> Vec<Kind> {
        let mut all = vec![
            Kind::Run,
            Kind::Server,
            Kind::Output,
            Kind::Tested,
            Kind::Compile,
            Kind::RustRun,
            Kind::NotRun,
            Kind::Generated,
            Kind::File,
        ];
        for c in Checker::ALL {
            all.extend([Kind::Checked(c), Kind::CheckedNotRun(c)]);
        }
        all
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::all().into_iter().find(|k| k.key() == key)
    }

    pub fn category(self) -> Category {
        match self {
            Kind::Run | Kind::Server | Kind::Output | Kind::Tested | Kind::RustRun | Kind::File => {
                Category::Executed
            }
            Kind::Compile | Kind::Checked(_) | Kind::CheckedNotRun(_) | Kind::Generated => Category::Checked,
            Kind::NotRun => Category::NotRun,
        }
    }

    /// The badge's words, without a reason.
    pub fn label(self, vocabulary: &Vocabulary) -> String {
        match self {
            Kind::Checked(c) => vocabulary.checker_label(c.word()).0.to_string(),
            Kind::CheckedNotRun(c) => {
                format!("{}; {}", vocabulary.checker_label(c.word()).0, vocabulary.kind("not-run").label)
            }
            base => vocabulary.kind(&base.key()).label.clone(),
        }
    }

    /// The badge's tooltip, without a reason.
    pub fn detail(self, vocabulary: &Vocabulary) -> String {
        match self {
            Kind::Checked(c) | Kind::CheckedNotRun(c) => vocabulary.checker_label(c.word()).1.to_string(),
            base => vocabulary.kind(&base.key()).detail.clone(),
        }
    }
}

impl Verification {
    pub fn kind(&self) -> Kind {
        match self {
            Verification::Run => Kind::Run,
            Verification::Server { .. } => Kind::Server,
            Verification::Output => Kind::Output,
            Verification::Tested => Kind::Tested,
            Verification::RustCompile => Kind::Compile,
            Verification::RustRun => Kind::RustRun,
            Verification::Checked { checker } => Kind::Checked(*checker),
            Verification::CheckedNotRun { checker, .. } => Kind::CheckedNotRun(*checker),
            Verification::NotRun { .. } => Kind::NotRun,
            Verification::Generated => Kind::Generated,
            Verification::File { .. } => Kind::File,
        }
    }

    pub fn reason(&self) -> Option<&ReasonKey> {
        match self {
            Verification::CheckedNotRun { reason, .. } | Verification::NotRun { reason } => Some(reason),
            _ => None,
        }
    }

    /// Whether the block's body must be included from a file under `listings/`: a badge
    /// that names a tool or a suite must point at the file that tool or suite sees.
    pub fn needs_listing(&self) -> bool {
        matches!(
            self,
            Verification::Tested
                | Verification::Checked { .. }
                | Verification::CheckedNotRun { .. }
                | Verification::File { .. }
        )
    }
}

/// Where a shell block runs: the chapter's session starts at the root of the book's clone,
/// and a reader's own project lives somewhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Folder {
    /// `in-new-folder`: a new empty folder outside the clone, made for this block.
    New,
    /// `in-book-clone`: the root of the book's clone.
    BookClone,
}

impl Folder {
    pub fn word(self) -> &'static str {
        match self {
            Folder::New => "in-new-folder",
            Folder::BookClone => "in-book-clone",
        }
    }
}

/// A parsed info string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fence {
    pub lang: String,
    pub verification: Verification,
    /// What the block needs installed to run (`needs-<requirement>`); only `run` blocks.
    pub needs: Option<RequirementKey>,
    /// Where the session goes before the block runs; only shell `run` blocks.
    pub folder: Option<Folder>,
    /// The requirement whose stand-in command runs in the place of this not-run block
    /// (`stand-in-<requirement>`): the reader's install command, which this machine's
    /// registries cannot serve, done the way the suite installs the package.
    pub stand_in: Option<RequirementKey>,
}

/// Languages whose `run` blocks go to the chapter's bash session.
pub const SHELL_LANGS: [&str; 3] = ["console", "bash", "sh"];

/// The words a fence may carry after its language, for error messages.
pub const ALLOWED_WORDS: &str = "run, background, port-N, needs-<requirement>, in-new-folder, in-book-clone, \
     output, tested, compile, checked-<tool>, not-run-<reason>, stand-in-<requirement>, file=<path>";

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FenceError {
    #[error("unknown word `{word}` (allowed: {ALLOWED_WORDS})")]
    UnknownWord { word: String },
    #[error("`{word}` names no tool (known: {known})")]
    UnknownChecker { word: String, known: String },
    #[error("`not-run-{reason}` has no reason in vocabulary.toml (known: {known})")]
    UnknownReason { reason: String, known: String },
    #[error("`{word}` is not a port number")]
    BadPort { word: String },
    #[error("says neither how it is verified nor why it is not (add one of: {ALLOWED_WORDS})")]
    Unlabelled,
    #[error("more than one verification ({words}); the one pair allowed is checked-<tool>,not-run-<reason>")]
    Conflicting { words: String },
    #[error("`{word}` appears twice")]
    Repeated { word: String },
    #[error("`run` is for console, bash, sh or rust blocks, not `{lang}`")]
    RunLanguage { lang: String },
    #[error("`compile` is for rust blocks, not `{lang}`")]
    CompileLanguage { lang: String },
    #[error("`checked-{checker}` checks {languages}, not `{lang}`")]
    CheckerLanguage { checker: &'static str, lang: String, languages: String },
    #[error("`background` is for shell `run` blocks")]
    BackgroundIncomplete,
    #[error("`port-N` is only for `run,background` blocks")]
    PortWithoutBackground,
    #[error("a Rust program cannot run in the background")]
    RustBackground,
    #[error("a mermaid diagram takes no words: it is generated and compared by tests/diagrams.rs")]
    MermaidWords,
    #[error("`needs-{requirement}` names no requirement in vocabulary.toml (known: {known})")]
    UnknownRequirement { requirement: String, known: String },
    #[error("`needs-<requirement>` is only for shell `run` blocks (with or without `background`)")]
    NeedsWithoutRun,
    #[error("`{word}` is only for shell `run` blocks (with or without `background`)")]
    FolderWithoutRun { word: &'static str },
    #[error("`file={path}` needs a relative path inside the reader's folder, without `..`")]
    BadFilePath { path: String },
    #[error("`stand-in-<requirement>` is only for shell blocks that are `not-run-<reason>`")]
    StandInWithoutNotRun,
    #[error("`stand-in-{requirement}`: the requirement has no stand-in command in vocabulary.toml")]
    NoStandIn { requirement: String },
}

impl Fence {
    /// Parses an info string such as `console,run,background,port-3001`. Words are separated
    /// by commas or spaces, as mdBook splits them into CSS classes.
    pub fn parse(info: &str, vocabulary: &Vocabulary) -> Result<Fence, FenceError> {
        let mut words = info.split([',', ' ', '\t']).filter(|w| !w.is_empty());
        let lang = words.next().unwrap_or("").to_string();
        let words: Vec<&str> = words.collect();
        for (i, w) in words.iter().enumerate() {
            if words[..i].contains(w) {
                return Err(FenceError::Repeated { word: w.to_string() });
            }
        }
        if lang == "mermaid" {
            return if words.is_empty() {
                Ok(Fence {
                    lang,
                    verification: Verification::Generated,
                    needs: None,
                    folder: None,
                    stand_in: None,
                })
            } else {
                Err(FenceError::MermaidWords)
            };
        }

        let mut primary: Vec<&str> = Vec::new();
        let mut checker = None;
        let mut reason = None;
        let mut background = false;
        let mut port = None;
        let mut needs = None;
        let mut folder = None;
        let mut file = None;
        let mut stand_in = None;
        for word in &words {
            match *word {
                "run" | "output" | "tested" | "compile" => primary.push(word),
                "background" => background = true,
                "in-new-folder" => folder = Some(Folder::New),
                "in-book-clone" => folder = Some(Folder::BookClone),
                w if w.starts_with("file=") => {
                    let path = &w["file=".len()..];
                    let inside = !path.is_empty()
                        && !path.starts_with('/')
                        && path.split('/').all(|part| !part.is_empty() && part != "..");
                    if !inside {
                        return Err(FenceError::BadFilePath { path: path.to_string() });
                    }
                    primary.push(word);
                    file = Some(path.to_string());
                }
                w if w.starts_with("port-") => {
                    let n = w["port-".len()..].parse::<u16>().ok().filter(|p| *p > 0);
                    port = Some(n.ok_or_else(|| FenceError::BadPort { word: w.to_string() })?);
                }
                w if w.starts_with("checked-") => {
                    let name = &w["checked-".len()..];
                    let found = Checker::from_word(name).ok_or_else(|| FenceError::UnknownChecker {
                        word: w.to_string(),
                        known: Checker::ALL.map(|c| format!("checked-{}", c.word())).join(", "),
                    })?;
                    primary.push(word);
                    checker = Some(found);
                }
                w if w.starts_with("needs-") || w.starts_with("stand-in-") => {
                    let (key, is_stand_in) = match w.strip_prefix("needs-") {
                        Some(key) => (key, false),
                        None => (&w["stand-in-".len()..], true),
                    };
                    let Some(requirement) = vocabulary.requirement(key) else {
                        return Err(FenceError::UnknownRequirement {
                            requirement: key.to_string(),
                            known: vocabulary.requirement_keys().collect::<Vec<_>>().join(", "),
                        });
                    };
                    if !is_stand_in {
                        needs = Some(RequirementKey(key.to_string()));
                    } else if requirement.stand_in.is_some() {
                        stand_in = Some(RequirementKey(key.to_string()));
                    } else {
                        return Err(FenceError::NoStandIn { requirement: key.to_string() });
                    }
                }
                w if w.starts_with("not-run-") => {
                    let key = &w["not-run-".len()..];
                    if vocabulary.reason(key).is_none() {
                        return Err(FenceError::UnknownReason {
                            reason: key.to_string(),
                            known: vocabulary.reason_keys().collect::<Vec<_>>().join(", "),
                        });
                    }
                    primary.push(word);
                    reason = Some(ReasonKey(key.to_string()));
                }
                w => return Err(FenceError::UnknownWord { word: w.to_string() }),
            }
        }

        let verification = match (primary.as_slice(), checker, reason) {
            ([], _, _) => return Err(FenceError::Unlabelled),
            ([_], None, None) if file.is_some() => Verification::File { path: file.unwrap_or_default() },
            ([_, _], Some(checker), Some(reason)) => Verification::CheckedNotRun { checker, reason },
            ([_], Some(checker), None) => Verification::Checked { checker },
            ([_], None, Some(reason)) => Verification::NotRun { reason },
            (["run"], None, None) => run_verification(&lang, background, port)?,
            (["output"], None, None) => Verification::Output,
            (["tested"], None, None) => Verification::Tested,
            (["compile"], None, None) if lang == "rust" => Verification::RustCompile,
            (["compile"], None, None) => return Err(FenceError::CompileLanguage { lang }),
            (many, _, _) => return Err(FenceError::Conflicting { words: many.join(", ") }),
        };
        if !matches!(verification, Verification::Server { .. } | Verification::RustRun) {
            if background {
                return Err(FenceError::BackgroundIncomplete);
            }
            if port.is_some() {
                return Err(FenceError::PortWithoutBackground);
            }
        }
        let shell_run = matches!(verification, Verification::Run | Verification::Server { .. });
        if needs.is_some() && !shell_run {
            return Err(FenceError::NeedsWithoutRun);
        }
        if let Some(folder) = folder.filter(|_| !shell_run) {
            return Err(FenceError::FolderWithoutRun { word: folder.word() });
        }
        let shell_not_run =
            SHELL_LANGS.contains(&lang.as_str()) && matches!(verification, Verification::NotRun { .. });
        if stand_in.is_some() && !shell_not_run {
            return Err(FenceError::StandInWithoutNotRun);
        }
        if let Verification::Checked { checker } | Verification::CheckedNotRun { checker, .. } = verification
        {
            let languages = vocabulary.checker_languages(checker.word());
            if !languages.contains(&lang) {
                return Err(FenceError::CheckerLanguage {
                    checker: checker.word(),
                    lang,
                    languages: languages.join(", "),
                });
            }
        }
        Ok(Fence { lang, verification, needs, folder, stand_in })
    }
}

/// Whether `vocabulary` labels every kind and checker of this grammar, and nothing else:
/// the badges, summaries and test names take their words from there.
pub fn check_vocabulary(vocabulary: &Vocabulary) -> Result<(), String> {
    let kinds: Vec<&str> = vocabulary.kind_keys().collect();
    let missing: Vec<&str> = Kind::BASE_KEYS.iter().copied().filter(|k| !kinds.contains(k)).collect();
    if !missing.is_empty() {
        return Err(format!("[kinds] lacks {}", missing.join(", ")));
    }
    if let Some(extra) = kinds.iter().find(|k| !Kind::BASE_KEYS.contains(k)) {
        return Err(format!("[kinds.{extra}] is not a verification kind of the grammar"));
    }
    let checkers: Vec<&str> = vocabulary.checker_words().collect();
    if let Some(c) = Checker::ALL.into_iter().find(|c| !checkers.contains(&c.word())) {
        return Err(format!("[checkers] lacks {}", c.word()));
    }
    if let Some(extra) = checkers.iter().find(|w| Checker::from_word(w).is_none()) {
        return Err(format!("[checkers.{extra}] is not a checker of the grammar"));
    }
    Ok(())
}

fn run_verification(lang: &str, background: bool, port: Option<u16>) -> Result<Verification, FenceError> {
    match (lang, background, port) {
        ("rust", false, None) => Ok(Verification::RustRun),
        ("rust", _, _) => Err(FenceError::RustBackground),
        (shell, _, _) if !SHELL_LANGS.contains(&shell) => {
            Err(FenceError::RunLanguage { lang: shell.to_string() })
        }
        (_, false, None) => Ok(Verification::Run),
        (_, true, port) => Ok(Verification::Server { port }),
        (_, false, Some(_)) => Err(FenceError::PortWithoutBackground),
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(info: &str) -> Result<Verification, FenceError> {
        Fence::parse(info, Vocabulary::get()).map(|f| f.verification)
    }

    fn reason(key: &str) -> ReasonKey {
        ReasonKey(key.to_string())
    }

    #[test]
    fn shell_run_blocks_in_every_shell_language() {
        for lang in SHELL_LANGS {
            assert_eq!(parse(&format!("{lang},run")), Ok(Verification::Run));
        }
    }

    #[test]
    fn a_server_waits_for_its_port_or_for_what_it_prints() {
        assert_eq!(parse("console,run,background,port-3001"), Ok(Verification::Server { port: Some(3001) }));
        assert_eq!(parse("console run background port-8000"), Ok(Verification::Server { port: Some(8000) }));
        assert_eq!(parse("console,run,background"), Ok(Verification::Server { port: None }));
        assert_eq!(parse("console,run,port-3001"), Err(FenceError::PortWithoutBackground));
        assert_eq!(parse("console,output,background"), Err(FenceError::BackgroundIncomplete));
        assert_eq!(parse("console,output,port-1"), Err(FenceError::PortWithoutBackground));
    }

    #[test]
    fn ports_must_be_numbers() {
        assert_eq!(
            parse("console,run,background,port-x"),
            Err(FenceError::BadPort { word: "port-x".into() })
        );
        assert_eq!(
            parse("console,run,background,port-0"),
            Err(FenceError::BadPort { word: "port-0".into() })
        );
        assert_eq!(
            parse("console,run,background,port-70000"),
            Err(FenceError::BadPort { word: "port-70000".into() })
        );
    }

    #[test]
    fn outputs_in_any_language() {
        for lang in ["json", "text", "rust", "typescript", "ruby", "python"] {
            assert_eq!(parse(&format!("{lang},output")), Ok(Verification::Output));
        }
    }

    #[test]
    fn tested_in_any_language() {
        assert_eq!(parse("yaml,tested"), Ok(Verification::Tested));
        assert_eq!(parse("rust,tested"), Ok(Verification::Tested));
    }

    #[test]
    fn rust_programs_compile_or_run() {
        assert_eq!(parse("rust,compile"), Ok(Verification::RustCompile));
        assert_eq!(parse("rust,run"), Ok(Verification::RustRun));
        assert_eq!(parse("python,compile"), Err(FenceError::CompileLanguage { lang: "python".into() }));
        assert_eq!(parse("rust,run,background,port-3000"), Err(FenceError::RustBackground));
    }

    #[test]
    fn run_is_for_shells_and_rust_only() {
        assert_eq!(parse("python,run"), Err(FenceError::RunLanguage { lang: "python".into() }));
        assert_eq!(parse("json,run"), Err(FenceError::RunLanguage { lang: "json".into() }));
    }

    #[test]
    fn checkers_match_their_languages() {
        assert_eq!(parse("ts,checked-tsc"), Ok(Verification::Checked { checker: Checker::Tsc }));
        assert_eq!(parse("typescript,checked-tsc"), Ok(Verification::Checked { checker: Checker::Tsc }));
        assert_eq!(parse("ruby,checked-ruby"), Ok(Verification::Checked { checker: Checker::Ruby }));
        assert!(matches!(parse("ruby,checked-tsc"), Err(FenceError::CheckerLanguage { checker: "tsc", .. })));
        assert!(matches!(parse("ts,checked-ruby"), Err(FenceError::CheckerLanguage { checker: "ruby", .. })));
    }

    #[test]
    fn unknown_checkers_are_named_with_the_known_ones() {
        let err = parse("python,checked-mypy").unwrap_err();
        assert_eq!(
            err,
            FenceError::UnknownChecker {
                word: "checked-mypy".into(),
                known: "checked-tsc, checked-ruby".into()
            }
        );
        assert!(err.to_string().contains("checked-tsc, checked-ruby"), "{err}");
    }

    #[test]
    fn not_run_needs_a_known_reason() {
        assert_eq!(parse("console,not-run-docker"), Ok(Verification::NotRun { reason: reason("docker") }));
        let err = parse("console,not-run-yarn").unwrap_err();
        assert!(matches!(&err, FenceError::UnknownReason { reason, .. } if reason == "yarn"), "{err:?}");
        assert!(err.to_string().contains("npm"), "names the known reasons: {err}");
    }

    #[test]
    fn the_one_allowed_pair_is_a_check_plus_a_reason() {
        assert_eq!(
            parse("ts,checked-tsc,not-run-npm"),
            Ok(Verification::CheckedNotRun { checker: Checker::Tsc, reason: reason("npm") })
        );
        assert_eq!(
            parse("ruby,not-run-rubygems,checked-ruby"),
            Ok(Verification::CheckedNotRun { checker: Checker::Ruby, reason: reason("rubygems") })
        );
    }

    #[test]
    fn two_verifications_conflict() {
        for info in
            ["console,run,output", "rust,tested,compile", "ts,checked-tsc,tested", "console,run,not-run-npm"]
        {
            assert!(matches!(parse(info), Err(FenceError::Conflicting { .. })), "{info}");
        }
    }

    #[test]
    fn needs_names_a_known_requirement_of_a_shell_run() {
        let fence = |info: &str| Fence::parse(info, Vocabulary::get());
        let server = fence("console,run,background,port-3002,needs-ts-worker").unwrap();
        assert_eq!(server.verification, Verification::Server { port: Some(3002) });
        assert_eq!(server.needs.as_ref().map(RequirementKey::as_str), Some("ts-worker"));
        assert_eq!(fence("console,run").unwrap().needs, None);
        assert!(matches!(
            fence("console,run,needs-left-pad"),
            Err(FenceError::UnknownRequirement { requirement, .. }) if requirement == "left-pad"
        ));
        for info in
            ["json,output,needs-ts-worker", "ts,checked-tsc,needs-ts-worker", "rust,run,needs-ts-worker"]
        {
            assert_eq!(fence(info).map(|f| f.needs), Err(FenceError::NeedsWithoutRun), "{info}");
        }
    }

    #[test]
    fn a_file_the_reader_saves_names_a_path_inside_their_folder() {
        assert_eq!(parse("python,file=handlers.py"), Ok(Verification::File { path: "handlers.py".into() }));
        assert_eq!(
            parse("yaml,file=templates/greeting.yaml"),
            Ok(Verification::File { path: "templates/greeting.yaml".into() })
        );
        for path in ["", "/etc/passwd", "../x.py", "a//b", "a/../b"] {
            assert_eq!(
                parse(&format!("python,file={path}")),
                Err(FenceError::BadFilePath { path: path.into() }),
                "{path}"
            );
        }
        assert!(matches!(parse("python,file=a.py,tested"), Err(FenceError::Conflicting { .. })));
    }

    #[test]
    fn a_shell_block_may_say_where_it_runs() {
        let fence = |info: &str| Fence::parse(info, Vocabulary::get());
        assert_eq!(fence("console,run,in-new-folder").unwrap().folder, Some(Folder::New));
        assert_eq!(fence("console,run,background,in-book-clone").unwrap().folder, Some(Folder::BookClone));
        assert_eq!(fence("console,run").unwrap().folder, None);
        assert_eq!(
            fence("text,output,in-new-folder").map(|f| f.folder),
            Err(FenceError::FolderWithoutRun { word: "in-new-folder" })
        );
    }

    #[test]
    fn a_stand_in_replaces_a_not_run_install_where_its_requirement_is_installed() {
        let fence = |info: &str| Fence::parse(info, Vocabulary::get());
        let install = fence("console,not-run-npm,stand-in-ts-worker").unwrap();
        assert_eq!(install.verification, Verification::NotRun { reason: reason("npm") });
        assert_eq!(install.stand_in.as_ref().map(RequirementKey::as_str), Some("ts-worker"));
        assert_eq!(install.needs, None);
        assert_eq!(
            fence("console,run,stand-in-ts-worker").map(|f| f.stand_in),
            Err(FenceError::StandInWithoutNotRun)
        );
        assert_eq!(
            fence("ruby,not-run-rubygems,stand-in-ts-worker").map(|f| f.stand_in),
            Err(FenceError::StandInWithoutNotRun)
        );
    }

    #[test]
    fn repeated_words_are_refused() {
        assert_eq!(parse("console,run,run"), Err(FenceError::Repeated { word: "run".into() }));
    }

    #[test]
    fn unlabelled_and_unknown_words_name_what_is_allowed() {
        assert_eq!(parse("console"), Err(FenceError::Unlabelled));
        assert_eq!(parse(""), Err(FenceError::Unlabelled));
        let err = parse("console,runn").unwrap_err();
        assert_eq!(err, FenceError::UnknownWord { word: "runn".into() });
        assert!(err.to_string().contains("`runn`") && err.to_string().contains("output"), "{err}");
    }

    #[test]
    fn mermaid_is_generated_and_takes_no_words() {
        assert_eq!(parse("mermaid"), Ok(Verification::Generated));
        assert_eq!(parse("mermaid,run"), Err(FenceError::MermaidWords));
    }

    #[test]
    fn kinds_have_stable_keys_and_categories() {
        let cases = [
            (Verification::Run, "run", Category::Executed),
            (Verification::Server { port: Some(1) }, "server", Category::Executed),
            (Verification::File { path: "a.py".into() }, "file", Category::Executed),
            (Verification::Output, "output", Category::Executed),
            (Verification::Tested, "tested", Category::Executed),
            (Verification::RustRun, "rust-run", Category::Executed),
            (Verification::RustCompile, "compile", Category::Checked),
            (Verification::Checked { checker: Checker::Ruby }, "checked-ruby", Category::Checked),
            (
                Verification::CheckedNotRun { checker: Checker::Tsc, reason: reason("npm") },
                "checked-tsc+not-run",
                Category::Checked,
            ),
            (Verification::Generated, "generated", Category::Checked),
            (Verification::NotRun { reason: reason("docker") }, "not-run", Category::NotRun),
        ];
        for (v, key, category) in cases {
            assert_eq!(v.kind().key(), key);
            assert_eq!(v.kind().category(), category, "{key}");
        }
    }

    #[test]
    fn the_embedded_vocabulary_labels_every_kind_and_checker() {
        assert_eq!(check_vocabulary(Vocabulary::get()), Ok(()));
    }

    #[test]
    fn a_vocabulary_missing_a_kind_is_refused() {
        let v = Vocabulary::parse(
            "[kinds.run]\nlabel = \"x\"\ndetail = \"y\"\n[checkers]\n[reasons]\n[requirements]\n[suites]\n",
        )
        .unwrap();
        let err = check_vocabulary(&v).unwrap_err();
        assert!(err.contains("lacks") && err.contains("output"), "{err}");
    }

    #[test]
    fn labels_come_from_the_vocabulary() {
        let v = Vocabulary::get();
        assert_eq!(Kind::Run.label(v), "executed");
        assert_eq!(Kind::Checked(Checker::Tsc).label(v), "checked with tsc");
        assert_eq!(
            Kind::CheckedNotRun(Checker::Ruby).label(v),
            "checked with ruby -wc, RuboCop; not executed here"
        );
    }

    #[test]
    fn verifications_round_trip_through_json() {
        let v = Verification::CheckedNotRun { checker: Checker::Tsc, reason: reason("npm") };
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"{"kind":"checked-not-run","checker":"tsc","reason":"npm"}"#);
        assert_eq!(serde_json::from_str::<Verification>(&json).unwrap(), v);
    }
}
