//! What the preprocessor writes into each chapter: a badge on every code block, and under
//! the title a provenance stamp and the chapter's summary table. All of it is HTML in the
//! page, so readers see it without JavaScript, in print view and in the search index.
//!
//! A badge claims only what the verification report says: built without a report, the
//! book says so instead of claiming anything was executed.

use crate::book::fingerprint;
use crate::fence::{Category, Fence, Kind};
use crate::markdown;
use crate::report::{Outcome, Report};
use crate::summary::{Summary, Totals};
use crate::vocabulary::{Label, Vocabulary};

/// What the badge of one block says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Badge {
    pub kind: Kind,
    /// `passed`, `failed`, `missing`, `not-run` or `unverified`.
    pub result: &'static str,
    pub text: String,
    pub title: String,
}

impl Badge {
    /// The badge for a block of `kind`, given its line in the report (`None` when the book
    /// is built without a report).
    /// `own` replaces the kind's words: a suite's badge (vocabulary.toml, [suites]).
    pub fn new(
        kind: Kind,
        reason: Option<&str>,
        outcome: Option<&Outcome>,
        own: Option<&Label>,
        tasker: &str,
        v: &Vocabulary,
    ) -> Badge {
        let detail = own.map_or_else(|| kind.detail(v), |l| l.detail.clone()).replace("{tasker}", tasker);
        let label = own.map_or_else(|| kind.label(v), |l| l.label.clone());
        let with_reason = |text: String| match reason {
            Some(r) => format!("{text}: {r}"),
            None => text,
        };
        let (result, text, title) = match outcome {
            _ if kind == Kind::NotRun => ("not-run", with_reason(label), detail),
            None => (
                "unverified",
                format!("{label}? not verified in this build"),
                format!("{detail}, when the test suite runs; this build has no test report to say it did"),
            ),
            Some(Outcome::Passed) => ("passed", label, detail),
            // A checked block that cannot run carries its reason on the fence.
            Some(Outcome::NotRun { .. }) if reason.is_some() => ("not-run", with_reason(label), detail),
            // A run block whose requirement is missing on the machine that built the report.
            Some(Outcome::NotRun { reason }) => {
                let not_run = v.kind("not-run");
                ("not-run", format!("{}: {reason}", not_run.label), format!("{detail}; {}", not_run.detail))
            }
            Some(Outcome::Failed { message }) => {
                ("failed", format!("{label}: FAILED in the last test run"), first_line(message).to_string())
            }
            Some(Outcome::Missing) => (
                "missing",
                format!("{label}: missing from the test report"),
                "The last test run recorded nothing for this block".to_string(),
            ),
        };
        Badge { kind, result, text, title }
    }

    pub fn to_html(&self) -> String {
        format!(
            "<span class=\"verification-badge verification-{}\" data-verification=\"{}\" data-result=\"{}\" title=\"{}\">{}</span>",
            css_class(self.kind.category(), self.result),
            self.kind.key(),
            self.result,
            escape(&self.title),
            escape(&self.text)
        )
    }
}

fn css_class(category: Category, result: &str) -> &'static str {
    match (result, category) {
        ("failed" | "missing", _) => "failed",
        ("unverified", _) => "unverified",
        ("not-run", Category::Executed) => "not-run",
        (_, Category::Executed) => "executed",
        (_, Category::Checked) => "checked",
        (_, Category::NotRun) => "not-run",
    }
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim()
}

/// Escapes text for an HTML attribute or element.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders one chapter's Markdown (includes already expanded). `path` is the chapter's
/// path under `src/`, as in the report.
pub fn render_chapter(
    path: &str,
    content: &str,
    report: Option<&Report>,
    v: &Vocabulary,
) -> Result<String, String> {
    let tasker = report.map(|r| r.provenance.tasker_version.as_str()).unwrap_or("?");
    let blocks = markdown::code_blocks(content);

    // First every badge, so the stamp above them can count what they say.
    let mut badges = Vec::with_capacity(blocks.len());
    // The requirement the chapter's session runs with, from the first block that needs it
    // to the next that moves the session to another folder.
    let mut in_force: Option<&Label> = None;
    for (index, raw) in blocks.iter().enumerate() {
        let info = raw.info.as_deref().unwrap_or("");
        let fence =
            Fence::parse(info, v).map_err(|e| format!("src/{path}: block {}: ```{info} {e}", index + 1))?;
        let kind = fence.verification.kind();
        let reason = fence.verification.reason().and_then(|r| v.reason(r.as_str()));
        let result = report.and_then(|r| r.result_for(path, index, &fingerprint(info, &raw.body)));
        let outcome = report.map(|_| result.map(|b| b.outcome.clone()).unwrap_or(Outcome::Missing));
        // A block that starts over in another folder no longer runs with the requirement.
        if fence.folder.is_some() {
            in_force = None;
        }
        if let Some(key) = &fence.needs {
            in_force = v.requirement(key.as_str()).and_then(|r| r.badge.as_ref());
        }
        let suite_badge = result.and_then(|b| b.suite.as_deref()).and_then(|s| v.suite(s)?.badge.as_ref());
        let session_badge = in_force.filter(|_| matches!(kind, Kind::Run | Kind::Server));
        let own = suite_badge.or(session_badge);
        badges.push(Badge::new(kind, reason, outcome.as_ref(), own, tasker, v));
    }
    let mut totals = Totals::default();
    let mut unproven = 0;
    for badge in &badges {
        match badge.result {
            "passed" => totals.add(badge.kind.category()),
            // A checked block that cannot run still passed its check; a run block not run
            // here (a missing requirement) is not run.
            "not-run" if badge.kind.category() == Category::Checked => totals.add(Category::Checked),
            "not-run" => totals.add(Category::NotRun),
            "failed" | "missing" => unproven += 1,
            _ => {}
        }
    }
    let kinds: Vec<Kind> = badges.iter().map(|b| b.kind).collect();
    let head = stamp(report, totals, unproven, kinds.len()) + &summary_table(&kinds, v);

    // Then the text: the head after the title, each block inside a wrapper with its badge.
    let mut inserts: Vec<(usize, String)> = vec![(markdown::after_title(content), head)];
    for (raw, badge) in blocks.iter().zip(&badges) {
        // The fence may be indented (a list item) or quoted: repeat its line prefix.
        let line_start = content[..raw.span.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let prefix = &content[line_start..raw.span.start];
        let open = format!(
            "<div class=\"verified-block\" data-verification=\"{}\" data-result=\"{}\">\n{prefix}{}\n{prefix}\n{prefix}",
            badge.kind.key(),
            badge.result,
            badge.to_html()
        );
        let newline = if content[raw.span.clone()].ends_with('\n') { "" } else { "\n" };
        inserts.push((raw.span.start, open));
        inserts.push((raw.span.end, format!("{newline}{prefix}\n{prefix}</div>\n")));
    }
    // Stable: the head comes before a block that starts at the same offset.
    inserts.sort_by_key(|(at, _)| *at);
    let mut out = String::with_capacity(content.len() * 2);
    let mut copied = 0;
    for (at, text) in inserts {
        out.push_str(&content[copied..at]);
        out.push_str(&text);
        copied = at;
    }
    out.push_str(&content[copied..]);
    Ok(out)
}

/// Where blocks that cannot run here are, by reason: (reason key, chapter path, name, count).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotRunIndex {
    pub entries: Vec<(String, String, String, usize)>,
}

impl NotRunIndex {
    /// Counts the not-run blocks of one chapter (its Markdown, includes expanded).
    pub fn add_chapter(&mut self, path: &str, name: &str, content: &str, v: &Vocabulary) {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for raw in markdown::code_blocks(content) {
            let Ok(fence) = Fence::parse(raw.info.as_deref().unwrap_or(""), v) else { continue };
            if let Some(reason) = fence.verification.reason() {
                match counts.iter_mut().find(|(r, _)| r == reason.as_str()) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((reason.as_str().to_string(), 1)),
                }
            }
        }
        for (reason, n) in counts {
            self.entries.push((reason, path.to_string(), name.to_string(), n));
        }
    }
}

/// Page-level facts the preprocessor writes where a chapter asks for them with an HTML
/// comment (`<!-- verification: not-run-here -->`, `<!-- verification: drift-check -->`),
/// so the "About this book" page cannot drift from the book.
pub fn render_facts(
    content: &str,
    page: &str,
    index: &NotRunIndex,
    report: Option<&Report>,
    v: &Vocabulary,
) -> String {
    let mut out = content.to_string();
    if out.contains(NOT_RUN_HERE) {
        out = out.replace(NOT_RUN_HERE, &not_run_list(page, index, v));
    }
    if out.contains(SUITES) {
        out = out.replace(SUITES, &suites_table(report, v));
    }
    if out.contains(DRIFT_CHECK) {
        let text = match report.and_then(|r| r.drift.as_ref().map(|d| (r, d))) {
            Some((r, d)) => format!(
                "The drift check of the run this copy was built from ({}, commit `{}`) caught \
                 **{} of {}** seeded mistakes{}.",
                r.provenance.date,
                r.provenance.commit.chars().take(12).collect::<String>(),
                d.caught,
                d.total,
                if d.broken > 0 { format!("; {} cases were broken", d.broken) } else { String::new() }
            ),
            None => "This copy was built without a drift check result (`scripts/test` runs the check \
                     under `CI=true` or with `--drift`)."
                .to_string(),
        };
        out = out.replace(DRIFT_CHECK, &text);
    }
    out
}

const NOT_RUN_HERE: &str = "<!-- verification: not-run-here -->";
const DRIFT_CHECK: &str = "<!-- verification: drift-check -->";
const SUITES: &str = "<!-- verification: suites -->";

/// Every listing suite of vocabulary.toml, what it runs, and what the report's run of it
/// said: where a worker package was missing, the page says so instead of the suite's claim.
fn suites_table(report: Option<&Report>, v: &Vocabulary) -> String {
    let mut out = String::from("| suite | what it runs | last run |\n|---|---|---|\n");
    for name in v.suite_names() {
        let what = v.suite(name).map(|s| s.what.as_str()).unwrap_or_default();
        let result = match report.map(|r| r.suites.get(name)) {
            None => "not verified in this build".to_string(),
            Some(None) => "missing from the test report".to_string(),
            Some(Some(Outcome::Passed)) => "passed".to_string(),
            Some(Some(Outcome::NotRun { reason })) => format!("not run: {reason}"),
            Some(Some(Outcome::Failed { .. })) => "FAILED".to_string(),
            Some(Some(Outcome::Missing)) => "missing from the test report".to_string(),
        };
        out.push_str(&format!(
            "| `{name}` | {} | {} |\n",
            what.replace('|', "\\|"),
            result.replace('|', "\\|")
        ));
    }
    out
}

fn not_run_list(page: &str, index: &NotRunIndex, v: &Vocabulary) -> String {
    let depth = page.matches('/').count();
    let up = "../".repeat(depth);
    let mut reasons: Vec<&str> = index.entries.iter().map(|(r, ..)| r.as_str()).collect();
    reasons.dedup();
    let mut out = String::new();
    for reason in reasons {
        let text = v.reason(reason).unwrap_or(reason);
        let places: Vec<String> = index
            .entries
            .iter()
            .filter(|(r, ..)| r == reason)
            .map(|(_, path, name, n)| {
                let href = format!("{up}{}", path.replace(".md", ".html"));
                format!("[{name}]({href}) ({n} block{})", if *n == 1 { "" } else { "s" })
            })
            .collect();
        out.push_str(&format!("- **{text}**: {}\n", places.join(", ")));
    }
    if out.is_empty() {
        out.push_str("Every block of this book runs here.\n");
    }
    out
}

/// The provenance line under a chapter's title.
fn stamp(report: Option<&Report>, totals: Totals, unproven: usize, blocks: usize) -> String {
    let text = match report {
        None => "Unverified build: this copy of the book was built without a test report, so none of its \
                 code blocks is claimed as executed or checked. <code>scripts/test</code> builds the \
                 verified book."
            .to_string(),
        Some(r) => {
            let p = &r.provenance;
            let commit: String = p.commit.chars().take(12).collect();
            let dirty = if p.dirty { " (with uncommitted changes)" } else { "" };
            let counts = if blocks == 0 {
                let t = r.totals();
                format!(
                    "this page has no code blocks; the book has {} executed, {} checked, {} not run here",
                    t.executed, t.checked, t.not_run
                )
            } else {
                let mut c = format!(
                    "{} executed, {} checked, {} not run here",
                    totals.executed, totals.checked, totals.not_run
                );
                if unproven > 0 {
                    c.push_str(&format!(", {unproven} failed or missing"));
                }
                c
            };
            format!(
                "Verified against Tasker {} on {} at commit <code>{}</code>{dirty}: {counts}.",
                escape(&p.tasker_version),
                escape(&p.date),
                escape(&commit)
            )
        }
    };
    let state = if report.is_some() { "verified" } else { "unverified" };
    format!("\n<p class=\"verification-stamp\" data-report=\"{state}\">{text}</p>\n\n")
}

fn summary_table(kinds: &[Kind], v: &Vocabulary) -> String {
    let summary = Summary::of(kinds.iter().copied(), v);
    if summary.is_empty() {
        return String::new();
    }
    format!("<div class=\"verification-summary\">\n\n{}\n</div>\n\n", summary.to_markdown())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fence::Checker;
    use crate::report::{BlockResult, Provenance};

    const CHAPTER: &str = "# Title\n\nIntro.\n\n```console,run\necho hi\n```\n\n```text,output\nhi\n```\n\n```console,not-run-docker\ndocker compose up\n```\n";

    fn report_with(outcomes: &[Outcome]) -> Report {
        report_for(CHAPTER, outcomes)
    }

    /// A report of `md`'s blocks, the first of them with `outcomes`.
    fn report_for(md: &str, outcomes: &[Outcome]) -> Report {
        let blocks = markdown::code_blocks(md);
        Report {
            drift: None,
            suites: Default::default(),
            provenance: Provenance {
                tasker_version: "0.1.8".into(),
                commit: "0123456789abcdef0123".into(),
                dirty: false,
                date: "2026-11-28".into(),
            },
            blocks: blocks
                .iter()
                .zip(outcomes)
                .enumerate()
                .map(|(index, (b, o))| BlockResult {
                    chapter: "ch.md".into(),
                    index,
                    line: b.line,
                    kind: "run".into(),
                    fingerprint: fingerprint(b.info.as_deref().unwrap(), &b.body),
                    suite: None,
                    outcome: o.clone(),
                })
                .collect(),
        }
    }

    fn badges(html: &str) -> Vec<String> {
        html.lines().filter(|l| l.contains("verification-badge")).map(String::from).collect()
    }

    #[test]
    fn every_block_gets_a_badge_with_its_kind() {
        let report = report_with(&[Outcome::Passed, Outcome::Passed, Outcome::NotRun { reason: "x".into() }]);
        let html = render_chapter("ch.md", CHAPTER, Some(&report), Vocabulary::get()).unwrap();
        let b = badges(&html);
        assert_eq!(b.len(), 3);
        assert!(b[0].contains("data-verification=\"run\"") && b[0].contains(">executed</span>"), "{}", b[0]);
        assert!(
            b[1].contains("data-verification=\"output\"") && b[1].contains(">real output</span>"),
            "{}",
            b[1]
        );
        assert!(
            b[2].contains("data-verification=\"not-run\"")
                && b[2].contains("not executed here: needs a Docker engine"),
            "{}",
            b[2]
        );
        // The code blocks themselves are untouched.
        assert!(html.contains("```console,run\necho hi\n```\n"));
    }

    #[test]
    fn the_stamp_and_summary_sit_under_the_title() {
        let report = report_with(&[Outcome::Passed, Outcome::Passed, Outcome::NotRun { reason: "x".into() }]);
        let html = render_chapter("ch.md", CHAPTER, Some(&report), Vocabulary::get()).unwrap();
        let title = html.find("# Title").unwrap();
        let stamp = html.find("verification-stamp").unwrap();
        let intro = html.find("Intro.").unwrap();
        assert!(title < stamp && stamp < intro, "{html}");
        assert!(html.contains("Verified against Tasker 0.1.8 on 2026-11-28 at commit <code>0123456789ab</code>: 2 executed, 0 checked, 1 not run here."), "{html}");
        assert!(
            html.contains("| executed | real output | not executed here |\n|---|---|---|\n| 1 | 1 | 1 |"),
            "{html}"
        );
    }

    #[test]
    fn failed_and_missing_blocks_are_marked() {
        let report =
            report_with(&[Outcome::Failed { message: "\nsrc/ch.md:5: the command failed\nmore".into() }]);
        let html = render_chapter("ch.md", CHAPTER, Some(&report), Vocabulary::get()).unwrap();
        let b = badges(&html);
        assert!(
            b[0].contains("data-result=\"failed\"") && b[0].contains("FAILED in the last test run"),
            "{}",
            b[0]
        );
        assert!(b[0].contains("title=\"src/ch.md:5: the command failed\""), "{}", b[0]);
        assert!(
            b[1].contains("data-result=\"missing\"") && b[1].contains("missing from the test report"),
            "{}",
            b[1]
        );
        assert!(html.contains("0 executed, 0 checked, 1 not run here, 2 failed or missing"), "{html}");
    }

    #[test]
    fn a_run_block_not_run_here_says_why_and_counts_as_not_run() {
        let reason = "@tasker-systems/tasker is not installed";
        let report = report_with(&[
            Outcome::NotRun { reason: reason.into() },
            Outcome::NotRun { reason: reason.into() },
            Outcome::NotRun { reason: "x".into() },
        ]);
        let html = render_chapter("ch.md", CHAPTER, Some(&report), Vocabulary::get()).unwrap();
        let b = badges(&html);
        assert!(
            b[0].contains("data-result=\"not-run\"") && b[0].contains("verification-not-run"),
            "{}",
            b[0]
        );
        assert!(b[0].contains(&format!(">not executed here: {reason}</span>")), "{}", b[0]);
        assert!(html.contains("0 executed, 0 checked, 3 not run here"), "{html}");
    }

    #[test]
    fn a_report_for_other_content_is_not_trusted() {
        let report = report_with(&[Outcome::Passed, Outcome::Passed, Outcome::Passed]);
        let changed = CHAPTER.replace("echo hi", "echo changed");
        let html = render_chapter("ch.md", &changed, Some(&report), Vocabulary::get()).unwrap();
        assert!(badges(&html)[0].contains("data-result=\"missing\""));
    }

    #[test]
    fn without_a_report_nothing_is_claimed() {
        let html = render_chapter("ch.md", CHAPTER, None, Vocabulary::get()).unwrap();
        assert!(html.contains("Unverified build"), "{html}");
        let b = badges(&html);
        assert!(
            b[0].contains("data-result=\"unverified\"") && b[0].contains("not verified in this build"),
            "{}",
            b[0]
        );
        assert!(!b[0].contains(">executed<"), "{}", b[0]);
        // A reason not to run is true with or without a report.
        assert!(b[2].contains("data-result=\"not-run\""), "{}", b[2]);
    }

    #[test]
    fn indented_fences_keep_their_indentation() {
        let md = "# T\n\n- step:\n\n  ```console,run\n  echo hi\n  ```\n";
        let html = render_chapter("ch.md", md, None, Vocabulary::get()).unwrap();
        assert!(html.contains("\n  <span class=\"verification-badge"), "{html}");
        assert!(html.contains("  ```\n  \n  </div>\n"), "{html}");
    }

    #[test]
    fn chapters_without_blocks_get_only_the_stamp() {
        let html = render_chapter("intro.md", "# Intro\n\nText.\n", None, Vocabulary::get()).unwrap();
        assert!(html.contains("verification-stamp") && !html.contains("verification-summary"), "{html}");
    }

    #[test]
    fn a_suite_with_its_own_badge_words_replaces_the_kinds() {
        let v = Vocabulary::get();
        let own = v.suite("rails-specs").and_then(|s| s.badge.as_ref()).expect("rails-specs has a badge");
        let b = Badge::new(Kind::Tested, None, Some(&Outcome::Passed), Some(own), "0.1.8", v);
        assert_eq!((b.result, b.text.as_str()), ("passed", own.label.as_str()));
        assert!(b.title.contains("Tasker 0.1.8"), "{}", b.title);
        let failed = Outcome::Failed { message: "x".into() };
        let b = Badge::new(Kind::Tested, None, Some(&failed), Some(own), "0.1.8", v);
        assert!(
            b.text.starts_with(&own.label) && b.text.ends_with("FAILED in the last test run"),
            "{}",
            b.text
        );
    }

    #[test]
    fn blocks_run_with_a_stand_in_requirement_say_what_ran() {
        let md = "# T\n\n```console,run\necho before\n```\n\n\
                  ```console,run,needs-rb-worker\necho worker\n```\n\n\
                  ```text,output\nworker\n```\n\n```console,run\necho after\n```\n";
        let report = report_for(md, &[Outcome::Passed, Outcome::Passed, Outcome::Passed, Outcome::Passed]);
        let v = Vocabulary::get();
        let label = &v.requirement("rb-worker").and_then(|r| r.badge.as_ref()).expect("a badge").label;
        let b = badges(&render_chapter("ch.md", md, Some(&report), v).unwrap());
        assert!(b[0].contains(">executed</span>"), "{}", b[0]);
        assert!(b[2].contains(">real output</span>"), "{}", b[2]);
        for ran in [&b[1], &b[3]] {
            assert!(ran.contains(&format!(">{label}</span>")), "{ran}");
        }
    }

    #[test]
    fn the_suites_table_says_what_the_report_says_of_each_suite() {
        let v = Vocabulary::get();
        let mut report = report_with(&[]);
        report.suites.insert("axum".into(), Outcome::Passed);
        report.suites.insert("rails-worker".into(), Outcome::NotRun { reason: "no tasker-rb".into() });
        let page = render_facts(SUITES, "verification.md", &NotRunIndex::default(), Some(&report), v);
        let row = |name: &str| page.lines().find(|l| l.starts_with(&format!("| `{name}` |"))).unwrap();
        assert!(row("axum").ends_with("| passed |"), "{page}");
        assert!(row("rails-worker").ends_with("| not run: no tasker-rb |"), "{page}");
        assert!(row("fastapi").ends_with("| missing from the test report |"), "{page}");
        let unverified = render_facts(SUITES, "verification.md", &NotRunIndex::default(), None, v);
        assert!(unverified.contains("| not verified in this build |"), "{unverified}");
    }

    #[test]
    fn badge_text_is_escaped() {
        let b = Badge::new(
            Kind::Checked(Checker::Tsc),
            None,
            Some(&Outcome::Failed { message: "a <b> & \"c\"".into() }),
            None,
            "0.1.8",
            Vocabulary::get(),
        );
        assert!(b.to_html().contains("title=\"a &lt;b&gt; &amp; &quot;c&quot;\""), "{}", b.to_html());
    }

    #[test]
    fn a_broken_fence_fails_the_render_naming_the_block() {
        let err = render_chapter("ch.md", "```console,runn\nx\n```\n", None, Vocabulary::get()).unwrap_err();
        assert!(err.contains("src/ch.md: block 1") && err.contains("`runn`"), "{err}");
    }
}
