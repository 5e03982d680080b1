//! listings/shell/tasks.sh, the shell helpers the chapters source and readers copy: each
//! function against the live stack, run by bash as a reader's shell runs them.

use std::process::Command;
use std::sync::LazyLock;

use regex::Regex;

use tasker_quickstarts::{StackEnv, repo_root, require_stack};

/// A version 4 UUID of the RFC 4122 variant.
static UUID_V4: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$").unwrap()
});
static UUID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$").unwrap());

/// Runs `script` in bash (`-euo pipefail`) after sourcing the helpers, against the stack.
fn run_with_helpers(script: &str) -> std::process::Output {
    if let Err(e) = require_stack() {
        panic!("{e}");
    }
    Command::new("bash")
        .current_dir(repo_root())
        .env("ORCHESTRATION_URL", StackEnv::get().orchestration_url())
        .env("TASK_NAMESPACE", "patterns_rs")
        .args(["-euo", "pipefail", "-c", &format!("source listings/shell/tasks.sh\n{script}")])
        .output()
        .expect("running bash")
}

/// What `script` printed; it must succeed.
fn with_helpers(script: &str) -> String {
    let out = run_with_helpers(script);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the helpers failed:\n--- script\n{script}\n--- stderr\n{stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn new_id_makes_version_4_uuids_that_differ() {
    let ids = with_helpers("new_id; new_id");
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    for id in &ids {
        assert!(UUID_V4.is_match(id), "not a version 4 UUID: `{id}`");
    }
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn now_ms_counts_milliseconds() {
    let out = with_helpers("a=$(now_ms); sleep 0.2; b=$(now_ms); echo $((b - a))");
    let elapsed: u64 = out.trim().parse().unwrap_or_else(|e| panic!("`{out}`: {e}"));
    assert!((200..5_000).contains(&elapsed), "0.2 s measured as {elapsed} ms");
}

#[test]
fn task_creates_one_and_the_readers_see_its_steps() {
    let out = with_helpers(
        r#"scripts/stack register listings/axum/templates >/dev/null # as the app's worker would
TASK=$(task order_review '{order_id: $id, total_cents: 2499}')
echo "uuid: $TASK"
steps "$TASK" | cut -d: -f1
echo "step: $(step_uuid "$TASK" assess_order)"
echo "status: $(finish "$TASK" 1)""#,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(UUID.is_match(lines[0].trim_start_matches("uuid: ")), "task: {out}");
    assert!(lines.contains(&"assess_order"), "steps of order_review: {out}");
    let step = lines.iter().find_map(|l| l.strip_prefix("step: ")).unwrap();
    assert!(UUID.is_match(step), "step_uuid: {out}");
    assert!(lines.iter().any(|l| l.starts_with("status: ") && l.len() > "status: ".len()), "{out}");
}

#[test]
fn task_stops_with_taskers_answer_when_it_refuses() {
    let out = run_with_helpers("task no_such_template '{}'");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a task of an unknown template was reported created");
    assert!(stderr.contains("no task:") && stderr.contains("HTTP 404"), "{stderr}");
}
