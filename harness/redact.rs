//! What changes from run to run is replaced by a placeholder before shown and actual output
//! are compared: UUIDs, timestamps, durations, process ids, measured ratios.

use std::sync::LazyLock;

use regex::Regex;

static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<uuid>"),
        (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?", "<time>"),
        (r"\b\d{2}:\d{2}:\d{2}\b", "<time>"),
        (r"\b\d+(\.\d+)?\s?(ms|µs|us|ns|s)\b", "<duration>"),
        (r"\bpid \d+\b", "pid <pid>"),
        // A measured ratio, such as a speed-up: shown as last measured, not compared.
        (r"\b\d+(\.\d+)?×", "<ratio>×"),
        // Where the book's clone is (its state folder sits at its root): the page shows it
        // under the reader's home, `~/tasker-quickstarts`, as it shows a UUID of its own.
        (r#"(?:~|/[^\s/'"=]+)(?:/[^\s/'"=]+)*/\.state/"#, "<clone>/.state/"),
        // Where a reader made their first project (the chapters show ~/hello-tasker).
        (r#"(?:~|/[^\s/'"=]+)(?:/[^\s/'"=]+)*/hello-tasker/"#, "<folder>/hello-tasker/"),
    ]
    .into_iter()
    .map(|(re, with)| (Regex::new(re).unwrap(), with))
    .collect()
});

pub fn redact(text: &str) -> String {
    let mut out = text.replace("\r\n", "\n");
    for (re, with) in RULES.iter() {
        out = re.replace_all(&out, *with).into_owned();
    }
    out.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

/// A unified diff, `-` for what the book shows and `+` for what ran.
pub fn diff(shown: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(shown, actual)
        .unified_diff()
        .context_radius(3)
        .header("shown in the book", "actual output")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_what_changes_between_runs() {
        let a = r#"{"task_uuid": "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "created_at": "2026-11-27T09:41:02.123456Z", "took": "312 ms"}"#;
        assert_eq!(redact(a), r#"{"task_uuid": "<uuid>", "created_at": "<time>", "took": "<duration>"}"#);
    }

    #[test]
    fn redacts_measured_ratios() {
        assert_eq!(redact("took 0.93× the time"), "took <ratio>× the time");
    }

    #[test]
    fn redacts_where_the_clone_is() {
        let shown = "export TASKER_CONFIG_PATH=~/tasker-quickstarts/.state/config/worker.toml";
        let actual = "export TASKER_CONFIG_PATH=/srv/ci/checkout/.state/config/worker.toml";
        assert_eq!(redact(shown), redact(actual));
        assert_eq!(redact("data .state/pg/data"), "data .state/pg/data");
        assert_eq!(
            redact("loaded: ~/hello-tasker/node_modules/x.node"),
            redact("loaded: /srv/ci/reader/hello-tasker/node_modules/x.node")
        );
    }

    #[test]
    fn keeps_what_does_not_change() {
        assert_eq!(redact("status: complete\ncompleted_steps: 5  "), "status: complete\ncompleted_steps: 5");
    }

    #[test]
    fn diff_names_both_sides() {
        let d = diff("a\nb\n", "a\nc\n");
        assert!(d.contains("-b") && d.contains("+c") && d.contains("shown in the book"), "{d}");
    }
}
