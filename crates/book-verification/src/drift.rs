//! The drift check's cases, as data (`tests/drift-cases.toml`): a known mistake to seed into
//! a copy of the repository, the test that must then fail, and a fragment of the failure it
//! must print. A case is *caught* only when that test fails with that message; failing any
//! other way makes the case broken, which fails the check as surely as a miss.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;

use crate::vocabulary::Vocabulary;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cases {
    #[serde(rename = "case")]
    pub cases: Vec<Case>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    /// Relative to the repository.
    pub file: String,
    /// Text that must occur exactly once in `file`.
    pub find: String,
    pub replace: String,
    pub test: TestTarget,
    /// A fragment of the test's output that shows it failed for this mistake.
    pub expect: String,
    /// A requirement of vocabulary.toml the test needs (`ts-worker`): where it is not
    /// installed, the case is not run, and says so, rather than counted as missed.
    #[serde(default)]
    pub needs: Option<String>,
}

/// The tests a case may name. Each maps to one command, run in the copy.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub enum TestTarget {
    /// The workspace build: build.rs enforces the book's rules.
    Build,
    /// One chapter's test (tests/book.rs), by path under src/.
    Chapter(String),
    /// A cargo test target of the workspace, optionally filtered.
    CargoTest { target: String, filter: Option<String> },
    /// The built book's internal links and #fragments.
    Links,
    /// The FastAPI app's pytest suite, optionally for one file or pytest node id
    /// (`tests/test_hostile.py::test_x`).
    Pytest(Option<String>),
    /// The Bun app's `bun test`, optionally for one file and, after a second `:`, the
    /// tests whose names match a pattern (`bun test -t`).
    BunTest { file: Option<String>, name: Option<String> },
    /// A Ruby test file of listings/rails, run with Debian's Ruby; after a second `:`, the
    /// test methods matching a pattern (minitest's `-n /PATTERN/`).
    RubyTest { file: String, name: Option<String> },
    /// The Rails app's request specs on Debian's Rails 6.1 (listings/rails/spec/rails61/rspec),
    /// optionally for one spec file and, after a second `:`, the examples whose names match
    /// (`rspec -e`).
    Rspec { file: Option<String>, name: Option<String> },
}

impl FromStr for TestTarget {
    type Err = String;

    fn from_str(s: &str) -> Result<TestTarget, String> {
        let (head, arg) = match s.split_once(':') {
            Some((h, a)) => (h, Some(a.to_string())),
            None => (s, None),
        };
        let need = |arg: Option<String>| {
            arg.filter(|a| !a.is_empty()).ok_or_else(|| format!("`{s}` needs an argument after `:`"))
        };
        Ok(match head {
            "build" if arg.is_none() => TestTarget::Build,
            "links" if arg.is_none() => TestTarget::Links,
            "chapter" => TestTarget::Chapter(need(arg)?),
            "cargo-test" => {
                let arg = need(arg)?;
                match arg.split_once(':') {
                    Some((t, f)) => TestTarget::CargoTest { target: t.into(), filter: Some(f.into()) },
                    None => TestTarget::CargoTest { target: arg, filter: None },
                }
            }
            "pytest" => TestTarget::Pytest(arg),
            "bun-test" => match arg {
                None => TestTarget::BunTest { file: None, name: None },
                Some(arg) => {
                    let (file, name) = file_and_name(arg);
                    TestTarget::BunTest { file: Some(file), name }
                }
            },
            "ruby-test" => {
                let (file, name) = file_and_name(need(arg)?);
                TestTarget::RubyTest { file, name }
            }
            "rspec" => match arg {
                None => TestTarget::Rspec { file: None, name: None },
                Some(arg) => {
                    let (file, name) = file_and_name(arg);
                    TestTarget::Rspec { file: Some(file), name }
                }
            },
            _ => {
                return Err(format!(
                    "unknown test `{s}` (build, links, chapter:PATH, cargo-test:TARGET[:FILTER], pytest[:FILE[::TEST]], bun-test[:FILE[:NAME]], ruby-test:FILE[:NAME], rspec[:FILE[:NAME]])"
                ));
            }
        })
    }
}

/// `FILE` or `FILE:NAME`: a test file and, optionally, a pattern for the tests in it.
fn file_and_name(arg: String) -> (String, Option<String>) {
    match arg.split_once(':') {
        Some((file, name)) if !name.is_empty() => (file.to_string(), Some(name.to_string())),
        Some((file, _)) => (file.to_string(), None),
        None => (arg, None),
    }
}

impl TryFrom<String> for TestTarget {
    type Error = String;
    fn try_from(s: String) -> Result<TestTarget, String> {
        s.parse()
    }
}

impl TestTarget {
    /// The shell command that runs the test, from the copy's root.
    pub fn command(&self) -> String {
        match self {
            TestTarget::Build => "cargo build --workspace --all-targets".into(),
            // The book's test binary, built once by the runner (QS_BOOK_TESTS): a seeded
            // chapter changes what it reads at run time, not what it was compiled from.
            TestTarget::Chapter(path) => format!("\"$QS_BOOK_TESTS\" --exact 'chapter::{path}'"),
            TestTarget::CargoTest { target, filter } => {
                let filter = filter.as_deref().map(|f| format!(" -- '{f}'")).unwrap_or_default();
                format!("cargo test -q --workspace --test {target}{filter}")
            }
            TestTarget::Links => "mdbook-mermaid install . >/dev/null && mdbook build . && \
                                  cargo run -q --bin book-verification -- links book"
                .into(),
            TestTarget::Pytest(file) => {
                let file = file.as_deref().map(|f| format!(" '{f}'")).unwrap_or_default();
                format!("cd listings/fastapi && ../../.state/venv-fastapi/bin/python -m pytest -q{file}")
            }
            TestTarget::BunTest { file, name } => {
                let file = file.as_deref().map(|f| format!(" '{f}'")).unwrap_or_default();
                let name = name.as_deref().map(|n| format!(" -t '{n}'")).unwrap_or_default();
                format!(
                    "cd listings/bun && TASKER_TEMPLATE_PATH=$PWD/templates RUST_LOG=warn bun test{file}{name}"
                )
            }
            TestTarget::RubyTest { file, name } => {
                let name = name.as_deref().map(|n| format!(" -n '/{n}/'")).unwrap_or_default();
                format!("ruby listings/rails/{file}{name}")
            }
            TestTarget::Rspec { file, name } => {
                let file = file.as_deref().map(|f| format!(" '{f}'")).unwrap_or_default();
                let name = name.as_deref().map(|n| format!(" -e '{n}'")).unwrap_or_default();
                format!("listings/rails/spec/rails61/rspec{file}{name}")
            }
        }
    }
}

impl fmt::Display for TestTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestTarget::Build => f.write_str("build"),
            TestTarget::Links => f.write_str("links"),
            TestTarget::Chapter(p) => write!(f, "chapter:{p}"),
            TestTarget::CargoTest { target, filter: None } => write!(f, "cargo-test:{target}"),
            TestTarget::CargoTest { target, filter: Some(x) } => write!(f, "cargo-test:{target}:{x}"),
            TestTarget::Pytest(None) => f.write_str("pytest"),
            TestTarget::Pytest(Some(k)) => write!(f, "pytest:{k}"),
            TestTarget::BunTest { file: None, .. } => f.write_str("bun-test"),
            TestTarget::BunTest { file: Some(file), name: None } => write!(f, "bun-test:{file}"),
            TestTarget::BunTest { file: Some(file), name: Some(n) } => write!(f, "bun-test:{file}:{n}"),
            TestTarget::RubyTest { file, name: None } => write!(f, "ruby-test:{file}"),
            TestTarget::RubyTest { file, name: Some(n) } => write!(f, "ruby-test:{file}:{n}"),
            TestTarget::Rspec { file: None, .. } => f.write_str("rspec"),
            TestTarget::Rspec { file: Some(file), name: None } => write!(f, "rspec:{file}"),
            TestTarget::Rspec { file: Some(file), name: Some(n) } => write!(f, "rspec:{file}:{n}"),
        }
    }
}

impl Cases {
    pub fn parse(text: &str) -> Result<Cases, String> {
        let cases: Cases = toml::from_str(text).map_err(|e| e.to_string())?;
        for case in &cases.cases {
            if case.find == case.replace {
                return Err(format!("case `{}`: find and replace are the same", case.name));
            }
            if case.expect.trim().is_empty() {
                return Err(format!("case `{}`: expect must name a fragment of the failure", case.name));
            }
            if let Some(key) = &case.needs
                && Vocabulary::get().requirement(key).is_none()
            {
                return Err(format!(
                    "case `{}`: needs `{key}`, which vocabulary.toml does not name",
                    case.name
                ));
            }
        }
        Ok(cases)
    }
}

impl Case {
    /// Why the case cannot run in the repository at `root`: its test needs a requirement
    /// that is not installed there.
    pub fn not_runnable_under(&self, root: &Path) -> Option<String> {
        let requirement = Vocabulary::get().requirement(self.needs.as_deref()?)?;
        (!root.join(&requirement.installed_when).exists())
            .then(|| format!("{}: {}", requirement.missing, requirement.install))
    }
}

/// Applies a case to the text of its file: the `find` text must occur exactly once.
pub fn seed(case: &Case, text: &str) -> Result<String, String> {
    match text.matches(&case.find).count() {
        1 => Ok(text.replacen(&case.find, &case.replace, 1)),
        0 => Err(format!("`find` does not occur in {}", case.file)),
        n => Err(format!("`find` occurs {n} times in {}; it must be unique", case.file)),
    }
}

/// What a seeded mistake did to its test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The test failed and printed the expected fragment.
    Caught,
    /// The test passed: the mistake slipped through.
    Missed,
    /// The case could not be applied, or its test failed some other way.
    Broken(String),
}

/// Judges a test run of a seeded case.
pub fn judge(case: &Case, passed: bool, output: &str) -> Verdict {
    if passed {
        Verdict::Missed
    } else if output.contains(&case.expect) {
        Verdict::Caught
    } else {
        let last = output.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("(no output)");
        Verdict::Broken(format!("failed without printing `{}`; last line: {}", case.expect, last.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(expect: &str) -> Case {
        Case {
            name: "x".into(),
            file: "src/x.md".into(),
            find: "/v1/tasks".into(),
            replace: "/api/v1/tasks".into(),
            test: TestTarget::Build,
            expect: expect.into(),
            needs: None,
        }
    }

    #[test]
    fn a_case_that_needs_what_is_missing_does_not_run() {
        let mut c = case("x");
        let empty = std::env::temp_dir().join(format!("bv-drift-needs-{}", std::process::id()));
        assert_eq!(c.not_runnable_under(&empty), None, "no requirement: it runs");
        c.needs = Some("ts-worker".into());
        assert!(c.not_runnable_under(&empty).is_some_and(|why| why.contains("TASKER_TS_PACKAGE")));
        let unknown = "[[case]]\nname = \"n\"\nfile = \"f\"\nfind = \"a\"\nreplace = \"b\"\n\
                       test = \"build\"\nexpect = \"e\"\nneeds = \"left-pad\"\n";
        assert!(Cases::parse(unknown).unwrap_err().contains("left-pad"));
    }

    #[test]
    fn test_targets_parse_and_print_back() {
        for s in [
            "build",
            "links",
            "chapter:quickstart/axum.md",
            "cargo-test:diagrams",
            "cargo-test:listing_checks:bun",
            "pytest:tests/test_hostile.py",
            "pytest:tests/test_hostile.py::test_limits",
            "bun-test",
            "bun-test:tests/hostile.test.ts",
            "bun-test:tests/hostile.test.ts:at the",
            "ruby-test:test/all.rb",
            "ruby-test:test/all.rb:test_limits",
            "rspec",
            "rspec:spec/requests/orders_spec.rb",
            "rspec:spec/requests/orders_spec.rb:POST /orders/async",
        ] {
            assert_eq!(s.parse::<TestTarget>().unwrap().to_string(), s);
        }
        assert!("chapter".parse::<TestTarget>().is_err());
        assert!("build:x".parse::<TestTarget>().is_err());
        assert!("make".parse::<TestTarget>().unwrap_err().contains("unknown test"));
    }

    #[test]
    fn commands_name_the_test() {
        let t: TestTarget = "chapter:stack.md".parse().unwrap();
        assert_eq!(t.command(), "\"$QS_BOOK_TESTS\" --exact 'chapter::stack.md'");
        let t: TestTarget = "cargo-test:versions".parse().unwrap();
        assert_eq!(t.command(), "cargo test -q --workspace --test versions");
    }

    #[test]
    fn seeding_needs_exactly_one_match() {
        assert_eq!(seed(&case("x"), "GET /v1/tasks").unwrap(), "GET /api/v1/tasks");
        assert!(seed(&case("x"), "nothing").unwrap_err().contains("does not occur"));
        assert!(seed(&case("x"), "/v1/tasks /v1/tasks").unwrap_err().contains("2 times"));
    }

    /// Every case of the book's own list seeds into its file as the file stands: an edit
    /// that removes a case's `find`, or makes it occur twice, is named here in a second,
    /// not at the end of a CI run's drift check.
    #[test]
    fn the_books_cases_each_seed_exactly_once() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let list = std::fs::read_to_string(root.join("tests/drift-cases.toml")).unwrap();
        let problems: Vec<String> = Cases::parse(&list)
            .unwrap()
            .cases
            .iter()
            .filter_map(|c| {
                let text =
                    std::fs::read_to_string(root.join(&c.file)).map_err(|e| format!("{}: {e}", c.file));
                text.and_then(|t| seed(c, &t)).err().map(|why| format!("{}: {why}", c.name))
            })
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn caught_only_with_the_expected_message() {
        let c = case("differs from what the command printed");
        assert_eq!(
            judge(&c, false, "src/x.md:3: the output shown differs from what the command printed"),
            Verdict::Caught
        );
        assert_eq!(judge(&c, true, ""), Verdict::Missed);
        assert!(
            matches!(judge(&c, false, "error[E0425]: cannot find value\n"), Verdict::Broken(m) if m.contains("E0425"))
        );
    }

    #[test]
    fn the_cases_file_is_checked_on_load() {
        let ok = "[[case]]\nname = \"n\"\nfile = \"f\"\nfind = \"a\"\nreplace = \"b\"\ntest = \"build\"\nexpect = \"e\"\n";
        assert_eq!(Cases::parse(ok).unwrap().cases.len(), 1);
        let same = ok.replace("replace = \"b\"", "replace = \"a\"");
        assert!(Cases::parse(&same).unwrap_err().contains("the same"));
        let bad_test = ok.replace("test = \"build\"", "test = \"make\"");
        assert!(Cases::parse(&bad_test).unwrap_err().contains("unknown test"));
    }
}
