//! The Reference page lists every part of Tasker's surface the book's commands use: the
//! orchestration server's endpoints, `tasker-ctl`'s commands and Tasker's environment
//! variables. This finds them in the executed shell blocks, so that one a chapter starts
//! using and the page does not list is a build failure, not a gap a reader finds.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use crate::book::Book;
use crate::fence::Kind;
use crate::problem::{Problem, ProblemKind};

/// The chapter that lists them, relative to `src/`.
pub const PAGE: &str = "reference.md";

/// One thing a reader can look up: compared by its normalized text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Name {
    /// `GET /v1/tasks/{}`: a path's variable segments written `{}`.
    Endpoint { method: String, path: String },
    /// `tasker-ctl template generate`.
    Command(String),
    /// `TASKER_TEMPLATE_PATH`.
    Variable(String),
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Name::Endpoint { method, path } => write!(f, "{method} {path}"),
            Name::Command(c) => f.write_str(c),
            Name::Variable(v) => f.write_str(v),
        }
    }
}

/// The orchestration server's address as the chapters write it, then the path.
static ENDPOINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:\$\{?(?:ORCHESTRATION_URL|AUTH_URL)\}?|https?://(?:127\.0\.0\.1|localhost):80[89]\d)(/[^\s"'?)|;]*)"#,
    )
    .unwrap()
});
static METHOD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"-X\s+([A-Z]+)").unwrap());
static DATA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s(?:-d|--data(?:-raw)?)\s").unwrap());
static COMMAND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\btasker-ctl\s+([a-z-]+)\s+([a-z-]+)").unwrap());
static VARIABLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bTASKER_[A-Z_]+\b").unwrap());
/// A code span at the start of a table row: how the Reference page lists a name.
static LISTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^\|\s*`([^`]+)`").unwrap());

/// The book's own settings, which readers do not set (the suite's state folder, where it
/// finds the worker packages): not part of Tasker's surface.
const BOOK_VARIABLES: &[&str] = &["TASKER_QS_STATE", "TASKER_RB_BUNDLE", "TASKER_TS_PACKAGE"];

/// The names a shell script uses, in order of first use.
pub fn used_in(script: &str) -> Vec<Name> {
    let mut names = Vec::new();
    for line in logical_lines(script) {
        for c in ENDPOINT.captures_iter(&line) {
            let method = match METHOD.captures(&line) {
                Some(m) => m[1].to_string(),
                None if DATA.is_match(&line) => "POST".into(),
                None => "GET".into(),
            };
            names.push(Name::Endpoint { method, path: normalize_path(&c[1]) });
        }
        for c in COMMAND.captures_iter(&line) {
            names.push(Name::Command(format!("tasker-ctl {} {}", &c[1], &c[2])));
        }
        for m in VARIABLE.find_iter(&line) {
            if !BOOK_VARIABLES.contains(&m.as_str()) {
                names.push(Name::Variable(m.as_str().to_string()));
            }
        }
    }
    let mut seen = BTreeSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

/// What the Reference page lists (the code span opening each table row), with the line
/// of its row. Rows that name something else (a package) are not part of the check.
pub fn listed_in(page: &str) -> Vec<(Name, usize)> {
    LISTED
        .captures_iter(page)
        .filter_map(|c| {
            let line = page[..c.get(0).unwrap().start()].lines().count() + 1;
            parse_listed(&c[1]).map(|name| (name, line))
        })
        .collect()
}

/// Every name an executed shell block uses that the Reference page does not list, reported
/// at the block that uses it first, and every name the page lists that no executed block
/// uses. Nothing is checked in a book without the page.
pub fn check(book: &Book) -> Vec<Problem> {
    let Some(page) = book.chapter(PAGE) else { return Vec::new() };
    let listed = listed_in(&page.raw);
    let mut used = BTreeSet::new();
    let mut problems = Vec::new();
    for (chapter, block) in book.blocks() {
        if !matches!(block.verification.kind(), Kind::Run | Kind::Server) {
            continue;
        }
        for name in used_in(&block.shown) {
            if !listed.iter().any(|(l, _)| *l == name) && !used.contains(&name) {
                problems.push(Problem::new(
                    &format!("src/{}", chapter.path),
                    block.line,
                    ProblemKind::NotInReference { name: name.to_string() },
                ));
            }
            used.insert(name);
        }
    }
    for (name, line) in listed {
        if !used.contains(&name) {
            problems.push(Problem::new(
                &format!("src/{PAGE}"),
                line,
                ProblemKind::ListedButUnused { name: name.to_string() },
            ));
        }
    }
    problems
}

fn parse_listed(text: &str) -> Option<Name> {
    if let Some((method, path)) = text.split_once(' ')
        && method.chars().all(|c| c.is_ascii_uppercase())
        && path.starts_with('/')
    {
        return Some(Name::Endpoint { method: method.into(), path: normalize_path(path) });
    }
    if text.starts_with("tasker-ctl ") {
        return Some(Name::Command(text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")));
    }
    VARIABLE.is_match(text).then(|| Name::Variable(text.to_string()))
}

/// `/v1/tasks/$TASK/workflow_steps` and `/v1/tasks/{task_uuid}/workflow_steps` are the
/// same endpoint: every segment that names a value becomes `{}`.
fn normalize_path(path: &str) -> String {
    path.trim_end_matches(['`', ',', ':', '.'])
        .split('/')
        .map(|s| if s.starts_with('$') || s.starts_with('{') { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// A script's lines with `\`-continued lines joined, so a `curl` and its `-X` are on one.
fn logical_lines(script: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for line in script.lines() {
        match line.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(script: &str) -> Vec<String> {
        used_in(script).iter().map(Name::to_string).collect()
    }

    #[test]
    fn finds_endpoints_with_their_method_commands_and_variables() {
        let script = r#"curl -s "$ORCHESTRATION_URL/v1/tasks/$TASK" | jq .status
curl -s -X POST "$ORCHESTRATION_URL/v1/tasks" \
  -H 'content-type: application/json' -d @-
curl -s -o /dev/null -X DELETE "${ORCHESTRATION_URL}/v1/tasks/$TASK"
curl -s "$ORCHESTRATION_URL/v1/tasks?namespace=x" -d '{}'
curl -s http://127.0.0.1:3001/health
TASKER_TEMPLATE_PATH=templates tasker-ctl template generate x --language rust
kill "$(cat "$TASKER_QS_STATE/run/x.pid")"
"#;
        assert_eq!(
            names(script),
            [
                "GET /v1/tasks/{}",
                "POST /v1/tasks",
                "DELETE /v1/tasks/{}",
                "tasker-ctl template generate",
                "TASKER_TEMPLATE_PATH",
            ]
        );
    }

    #[test]
    fn the_page_lists_names_in_the_first_column_of_its_tables() {
        let page = "| name | what |\n|---|---|\n| `GET /v1/tasks/{task_uuid}` | one task |\n\
                    | `tasker-ctl dlq list` | x |\n| `TASKER_ENV` | y |\n| `tasker-py` | a package |\n\
                    prose `GET /v1/nope`\n";
        let listed: Vec<String> = listed_in(page).iter().map(|(n, line)| format!("{line}: {n}")).collect();
        assert_eq!(listed, ["3: GET /v1/tasks/{}", "4: tasker-ctl dlq list", "5: TASKER_ENV"]);
    }
}
