//! Turns the book, as readers see it, into tests.
//!
//! 1. Load the book with mdBook's own loader and expand `{{#include}}` with mdBook's own
//!    link preprocessor, so the tests see exactly what the HTML shows.
//! 2. Walk every fenced code block with pulldown-cmark and classify it by the words of its
//!    info string (the same words mdBook turns into CSS classes, which theme/verification.js
//!    turns into the reader's badge: one source of truth).
//! 3. Enforce the policy statically (build fails, listing every problem): unlabelled blocks,
//!    unknown words, includes of missing files/anchors, empty regions, broken internal links
//!    and `#fragment`s.
//! 4. Write `$OUT_DIR/book_tests.rs`: one test per chapter that has runnable blocks, one per
//!    Rust block; tests/book.rs includes it and harness/ runs it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;
use mdbook_driver::builtin_preprocessors::LinkPreprocessor;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// One fenced code block: where it is in the source file, what it says there (raw, before
/// includes), and what readers see (expanded).
#[derive(Debug, Clone)]
struct Block {
    line: usize,
    info: String,
    raw: String,
    shown: String,
    /// Line range of the block's body in the source file (for SNAPSHOTS=overwrite).
    body_lines: (usize, usize),
}

struct Chapter {
    /// Relative to the book's src/, e.g. `quickstart/axum.md`.
    path: PathBuf,
    raw: String,
    expanded: String,
    blocks: Vec<Block>,
}

/// The verification words a block may carry after its language.
const KINDS: &[&str] = &["run", "output", "tested", "compile"];
const RUN_LANGS: &[&str] = &["console", "bash", "sh"];

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    for watched in ["src", "listings", "theme/verification.js", "book.toml"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());

    let mut problems = Vec::new();
    let chapters = load_chapters(&root, &mut problems);
    let reasons = load_reasons(&root, &mut problems);
    for ch in &chapters {
        check_includes(&root, ch, &mut problems);
        check_blocks(ch, &reasons, &mut problems);
    }
    check_links(&chapters, &mut problems);

    if !problems.is_empty() {
        let mut msg = format!("the book breaks {} rule(s):\n", problems.len());
        for p in &problems {
            let _ = writeln!(msg, "  - {p}");
        }
        msg.push_str("(rules: README.md, \"How it is tested\")\n");
        panic!("{msg}");
    }

    let labels = load_labels(&root);
    let code = generate_tests(&chapters, &reasons, &labels, &out_dir);
    std::fs::write(out_dir.join("book_tests.rs"), code).expect("writing book_tests.rs");
}

fn load_chapters(root: &Path, problems: &mut Vec<String>) -> Vec<Chapter> {
    let book = MDBook::load(root).unwrap_or_else(|e| panic!("mdBook cannot load the book: {e:#}"));
    let ctx = PreprocessorContext::new(root.to_path_buf(), book.config.clone(), "html".into());
    let expanded = LinkPreprocessor::new()
        .run(&ctx, book.book.clone())
        .unwrap_or_else(|e| panic!("mdBook's include expansion failed: {e:#}"));

    let mut raw_by_path = BTreeMap::new();
    for item in book.book.iter() {
        if let BookItem::Chapter(ch) = item {
            if let Some(p) = &ch.path {
                raw_by_path.insert(p.clone(), ch.content.clone());
            }
        }
    }
    let mut chapters = Vec::new();
    for item in expanded.iter() {
        let BookItem::Chapter(ch) = item else { continue };
        let Some(path) = ch.path.clone() else {
            problems.push(format!("SUMMARY.md: chapter \"{}\" is a draft (no file)", ch.name));
            continue;
        };
        let raw = raw_by_path.get(&path).cloned().unwrap_or_default();
        let raw_blocks = fenced_blocks(&raw);
        let shown_blocks = fenced_blocks(&ch.content);
        if raw_blocks.len() != shown_blocks.len() {
            problems.push(format!(
                "src/{}: {} code blocks in the file but {} after includes (an included file contains a fence?)",
                path.display(),
                raw_blocks.len(),
                shown_blocks.len()
            ));
            continue;
        }
        let blocks = raw_blocks
            .into_iter()
            .zip(shown_blocks)
            .map(|(r, s)| Block { shown: s.raw, ..r })
            .collect();
        chapters.push(Chapter { path, raw, expanded: ch.content.clone(), blocks });
    }
    chapters
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn fenced_blocks(md: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String, String, usize)> = None;
    for (event, range) in Parser::new_ext(md, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(i) => i.to_string(),
                    CodeBlockKind::Indented => "<indented>".to_string(),
                };
                current = Some((line_of(md, range.start), info, String::new(), range.end));
            }
            Event::Text(t) => {
                if let Some((_, _, body, _)) = current.as_mut() {
                    body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((line, info, body, end)) = current.take() {
                    let last = line_of(md, end.min(md.len()).saturating_sub(1));
                    blocks.push(Block {
                        line,
                        info,
                        raw: body.clone(),
                        shown: body,
                        body_lines: (line + 1, last.saturating_sub(1)),
                    });
                }
            }
            _ => {}
        }
    }
    blocks
}

/// Reasons for "not executed here", keyed by the word after `not-run-`. They live in the
/// badge script so the page and the tests read the same table.
fn load_reasons(root: &Path, problems: &mut Vec<String>) -> BTreeMap<String, String> {
    let path = root.join("theme/verification.js");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let table = text
        .split("/* BEGIN REASONS */")
        .nth(1)
        .and_then(|rest| rest.split("/* END REASONS */").next());
    let Some(table) = table else {
        problems.push("theme/verification.js: no /* BEGIN REASONS */ … /* END REASONS */ table".into());
        return BTreeMap::new();
    };
    let json = table.trim().trim_start_matches("const REASONS =").trim().trim_end_matches(';');
    match serde_json::from_str(json) {
        Ok(map) => map,
        Err(e) => {
            problems.push(format!("theme/verification.js: the REASONS table is not JSON: {e}"));
            BTreeMap::new()
        }
    }
}

/// `{{#include file}}`, `{{#include file:anchor}}`, `{{#include file:10:20}}`, and the
/// rustdoc_include form. mdBook renders a missing file as raw text and a missing anchor as an
/// empty block, both with exit code 0, so both are checked here.
fn check_includes(root: &Path, ch: &Chapter, problems: &mut Vec<String>) {
    let chapter_dir = root.join("src").join(&ch.path).parent().unwrap().to_path_buf();
    for (lineno, line) in ch.raw.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#") {
            let after = &rest[start + 3..];
            let Some(end) = after.find("}}") else { break };
            let directive = after[..end].trim();
            rest = &after[end + 2..];
            let mut words = directive.splitn(2, char::is_whitespace);
            let name = words.next().unwrap_or("");
            let arg = words.next().unwrap_or("").trim();
            if !matches!(name, "include" | "rustdoc_include") {
                continue;
            }
            let at = format!("src/{}:{}", ch.path.display(), lineno + 1);
            let mut parts = arg.splitn(2, ':');
            let file = parts.next().unwrap_or("");
            let selector = parts.next();
            let target = chapter_dir.join(file);
            let Ok(text) = std::fs::read_to_string(&target) else {
                problems.push(format!("{at}: include of a missing file `{file}`"));
                continue;
            };
            let region = match selector {
                Some(sel) if !sel.chars().next().is_some_and(|c| c.is_ascii_digit()) && !sel.starts_with(':') => {
                    match anchor_region(&text, sel) {
                        Some(r) => r,
                        None => {
                            problems.push(format!("{at}: `{file}` has no anchor `{sel}` (ANCHOR: {sel} … ANCHOR_END: {sel})"));
                            continue;
                        }
                    }
                }
                _ => text.clone(),
            };
            if region.trim().is_empty() {
                problems.push(format!("{at}: include `{arg}` is empty"));
            }
        }
    }
}

fn anchor_region(text: &str, anchor: &str) -> Option<String> {
    let mut inside = false;
    let mut found = false;
    let mut out = String::new();
    for line in text.lines() {
        if let Some(pos) = line.find("ANCHOR:") {
            if line[pos + 7..].trim() == anchor {
                inside = true;
                found = true;
            }
            continue;
        }
        if let Some(pos) = line.find("ANCHOR_END:") {
            if line[pos + 11..].trim() == anchor {
                if !inside {
                    return None;
                }
                inside = false;
            }
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    (found && !inside).then_some(out)
}

fn words(info: &str) -> (String, Vec<String>) {
    let mut it = info.split([' ', '\t', ',']).filter(|w| !w.is_empty()).map(str::to_string);
    (it.next().unwrap_or_default(), it.collect())
}

fn check_blocks(ch: &Chapter, reasons: &BTreeMap<String, String>, problems: &mut Vec<String>) {
    let mut previous_ran = false;
    for b in &ch.blocks {
        let at = format!("src/{}:{}", ch.path.display(), b.line);
        let (lang, attrs) = words(&b.info);
        if b.shown.trim().is_empty() {
            problems.push(format!("{at}: the block is empty as readers see it"));
        }
        if b.shown.contains("{{#") {
            problems.push(format!("{at}: an mdBook directive was left unexpanded"));
        }
        if lang == "mermaid" {
            // Diagrams are generated from task templates; the listing's tests keep them in sync.
            if !b.raw.trim().starts_with("{{#include") || !b.raw.contains(".mmd") {
                problems.push(format!("{at}: a mermaid diagram must be included from a generated .mmd file"));
            }
            previous_ran = false;
            continue;
        }
        let mut kinds = Vec::new();
        for a in &attrs {
            if KINDS.contains(&a.as_str()) {
                kinds.push(a.clone());
            } else if let Some(code) = a.strip_prefix("not-run-") {
                if !reasons.contains_key(code) {
                    problems.push(format!("{at}: `{a}` has no reason in theme/verification.js"));
                }
                kinds.push("not-run".into());
            } else if a.strip_prefix("checked-").is_some() {
                kinds.push(a.clone());
            } else if a == "background" || a.strip_prefix("port-").is_some_and(|p| p.parse::<u16>().is_ok()) {
            } else {
                problems.push(format!("{at}: unknown word `{a}` in ```{}", b.info));
            }
        }
        // One verification per block; the one pair allowed is a tool check plus the reason the
        // block cannot run here (`ts,checked-tsc,not-run-npm`).
        let checked_not_run = kinds.len() == 2
            && kinds.iter().any(|k| k.starts_with("checked-"))
            && kinds.iter().any(|k| k == "not-run");
        match kinds.as_slice() {
            [] => problems.push(format!(
                "{at}: ```{} says neither how it is verified nor why it is not (run, output, tested, compile, checked-…, not-run-…)",
                b.info
            )),
            [_] => {}
            _ if checked_not_run => {}
            _ => problems.push(format!("{at}: more than one verification in ```{}", b.info)),
        }
        let kind = kinds.iter().find(|k| k.starts_with("checked-")).or(kinds.first()).map(String::as_str).unwrap_or("");
        match kind {
            "run" if lang == "rust" => {}
            "run" if !RUN_LANGS.contains(&lang.as_str()) => {
                problems.push(format!("{at}: `run` is for console/bash/sh or rust blocks, not `{lang}`"))
            }
            "output" if !previous_ran => {
                problems.push(format!("{at}: an `output` block must follow a `run` block"))
            }
            "tested" | "checked-tsc" | "checked-ruby" => {
                if !b.raw.trim().starts_with("{{#include") || !b.raw.contains("listings/") {
                    problems.push(format!("{at}: `{kind}` blocks must be included from listings/"));
                }
            }
            "compile" if lang != "rust" => problems.push(format!("{at}: `compile` is for rust blocks")),
            _ => {}
        }
        if attrs.iter().any(|a| a == "background") {
            if kind != "run" || !attrs.iter().any(|a| a.starts_with("port-")) {
                problems.push(format!("{at}: `background` needs `run` and a `port-N` to wait for"));
            }
        }
        previous_ran = kind == "run" && lang != "rust" && !attrs.iter().any(|a| a == "background");
    }
}

/// Heading ids as mdBook 0.5 makes them (lowercase, whitespace to '-', keep alphanumerics,
/// '_' and '-'; repeats get -1, -2 …), plus explicit `{#id}` attributes.
fn heading_ids(md: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_heading: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(md, Options::all()) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => in_heading = Some((id.map(|i| i.to_string()), String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = in_heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((explicit, text)) = in_heading.take() {
                    let base = explicit.unwrap_or_else(|| {
                        text.trim()
                            .to_lowercase()
                            .chars()
                            .filter_map(|c| match c {
                                c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
                                c if c.is_whitespace() => Some('-'),
                                _ => None,
                            })
                            .collect()
                    });
                    let n = seen.entry(base.clone()).or_insert(0);
                    ids.insert(if *n == 0 { base.clone() } else { format!("{base}-{n}") });
                    *n += 1;
                }
            }
            _ => {}
        }
    }
    ids
}

fn check_links(chapters: &[Chapter], problems: &mut Vec<String>) {
    let ids: BTreeMap<PathBuf, BTreeSet<String>> =
        chapters.iter().map(|c| (c.path.clone(), heading_ids(&c.expanded))).collect();
    for ch in chapters {
        for (event, range) in Parser::new_ext(&ch.expanded, Options::all()).into_offset_iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else { continue };
            let url = dest_url.to_string();
            if url.contains("://") || url.starts_with("mailto:") {
                continue;
            }
            let at = format!("src/{} (link `{url}` near \"{}\")", ch.path.display(),
                ch.expanded[range.clone()].chars().take(40).collect::<String>());
            let (file, fragment) = match url.split_once('#') {
                Some((f, frag)) => (f, Some(frag)),
                None => (url.as_str(), None),
            };
            let target = if file.is_empty() {
                ch.path.clone()
            } else {
                normalize(&ch.path.parent().unwrap().join(file))
            };
            let target_md = if target.extension().is_some_and(|e| e == "html") {
                target.with_extension("md")
            } else {
                target.clone()
            };
            let Some(target_ids) = ids.get(&target_md) else {
                problems.push(format!("{at}: no chapter {}", target.display()));
                continue;
            };
            if let Some(frag) = fragment {
                if !target_ids.contains(frag) {
                    problems.push(format!("{at}: {} has no heading #{frag}", target_md.display()));
                }
            }
        }
    }
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn ident(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

/// The badge label of each verification word (`run` → "executed"), read from the LABELS table
/// of theme/verification.js, so the chapters' summary tables say what the badges say.
fn load_labels(root: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root.join("theme/verification.js")).unwrap_or_default();
    let table = text.split("const LABELS = {").nth(1).and_then(|t| t.split("};").next()).unwrap_or("");
    table
        .lines()
        .filter_map(|line| {
            let (key, rest) = line.split_once(": [\"")?;
            let label = rest.split('"').next()?;
            Some((key.trim().trim_matches('"').to_string(), label.to_string()))
        })
        .collect()
}

const SUMMARY_START: &str = "<!-- verification-summary: generated from the code blocks' labels; SNAPSHOTS=overwrite updates it -->";

/// The one-row table a chapter opens with: how many of its blocks each verification covers,
/// counted from the same info-string words the badges come from.
fn summary_table(ch: &Chapter, labels: &BTreeMap<String, String>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for b in &ch.blocks {
        let (lang, attrs) = words(&b.info);
        let checked = attrs.iter().find(|a| a.starts_with("checked-"));
        let key = if lang == "mermaid" {
            "generated"
        } else if attrs.iter().any(|a| a.starts_with("not-run-")) {
            match checked.map(String::as_str) {
                Some("checked-tsc") => "checked-tsc+not-run",
                Some("checked-ruby") => "checked-ruby+not-run",
                _ => "not-run",
            }
        } else {
            match attrs.iter().find(|a| KINDS.contains(&a.as_str()) || a.starts_with("checked-")) {
                Some(a) => a.as_str(),
                None => continue,
            }
        };
        *counts.entry(key.to_string()).or_default() += 1;
    }
    let order = [
        "run", "output", "tested", "compile", "checked-tsc", "checked-ruby", "generated",
        "checked-tsc+not-run", "checked-ruby+not-run", "not-run",
    ];
    let label = |k: &str| labels.get(k).cloned().unwrap_or_else(|| k.to_string());
    let columns: Vec<(String, usize)> = order
        .iter()
        .filter_map(|k| {
            let n = *counts.get(*k)?;
            let text = match k.strip_suffix("+not-run") {
                Some(checked) => format!("{}, not executed here", label(checked)),
                None if *k == "not-run" => "not executed here".to_string(),
                None => label(k),
            };
            Some((text, n))
        })
        .collect();
    let head: Vec<&str> = columns.iter().map(|(l, _)| l.as_str()).collect();
    let row: Vec<String> = columns.iter().map(|(_, n)| n.to_string()).collect();
    format!("| {} |\n|{}|\n| {} |\n", head.join(" | "), vec!["---"; columns.len()].join("|"), row.join(" | "))
}

fn generate_tests(
    chapters: &[Chapter],
    reasons: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
    out_dir: &Path,
) -> String {
    let snippets = out_dir.join("snippets");
    let _ = std::fs::create_dir_all(&snippets);
    let mut code = String::from("// @generated by build.rs from the book's chapters. Do not edit.\n\n");
    for ch in chapters {
        let file = format!("src/{}", ch.path.display());
        let mut entries = String::new();
        let mut runnable = false;
        if ch.raw.contains(SUMMARY_START) {
            let _ = writeln!(
                code,
                "#[test]\nfn summary_{}() {{ tasker_quickstarts::check_summary({:?}, {:?}, {:?}); }}\n",
                ident(&ch.path.display().to_string()),
                file,
                SUMMARY_START,
                summary_table(ch, labels)
            );
        }
        for b in &ch.blocks {
            let (lang, attrs) = words(&b.info);
            let has = |w: &str| attrs.iter().any(|a| a == w);
            // A block that cannot run here is reported by cargo as ignored, with its reason:
            // never as passed. Forced with --include-ignored, it fails.
            if let Some(code_word) = attrs.iter().find_map(|a| a.strip_prefix("not-run-")) {
                let why = format!("{file}:{}: not executed here: {}", b.line, reasons.get(code_word).map(String::as_str).unwrap_or(""));
                let _ = writeln!(
                    code,
                    "#[test]\n#[ignore = {why:?}]\nfn not_run_{}_l{}() {{ panic!({why:?}); }}\n",
                    ident(&ch.path.display().to_string()),
                    b.line
                );
                continue;
            }
            let port = attrs.iter().find_map(|a| a.strip_prefix("port-")).unwrap_or("0");
            let kind = if lang == "rust" && (has("run") || has("compile")) {
                // Rust programs become modules of the test crate: compiled with its
                // dependencies, and run (or only compiled) by a test of their own.
                let name = format!("{}_l{}", ident(&ch.path.display().to_string()), b.line);
                let path = snippets.join(format!("{name}.rs"));
                let body = format!("// {file}:{}\n{}", b.line, b.shown);
                std::fs::write(&path, body).expect("writing a Rust snippet");
                // The snippet's own `main` stays private; a runner beside it in the module calls it.
                let _ = writeln!(
                    code,
                    "#[allow(dead_code)]\nmod {name} {{\n    include!({:?});\n    pub fn run_snippet() {{ main() }}\n}}",
                    path.display().to_string()
                );
                if has("run") {
                    let _ = writeln!(
                        code,
                        "#[test]\nfn rust_{name}() {{ tasker_quickstarts::rust_snippet({:?}, {}, {name}::run_snippet); }}\n",
                        file, b.line
                    );
                }
                continue;
            } else if has("run") && has("background") {
                runnable = true;
                "Background"
            } else if has("run") {
                runnable = true;
                "Run"
            } else if has("output") {
                "Output"
            } else {
                continue;
            };
            let _ = writeln!(
                entries,
                "        Block {{ line: {}, body_lines: ({}, {}), kind: Kind::{kind}, port: {port}, code: {:?}, from_include: {} }},",
                b.line,
                b.body_lines.0,
                b.body_lines.1,
                b.shown,
                b.raw.trim_start().starts_with("{{#include")
            );
        }
        if runnable {
            let _ = writeln!(
                code,
                "#[test]\nfn chapter_{}() {{\n    use tasker_quickstarts::{{Block, Chapter, Kind}};\n    tasker_quickstarts::run_chapter(&Chapter {{\n        file: {:?},\n        source_lines: {},\n        blocks: &[\n{entries}        ],\n    }});\n}}\n",
                ident(&ch.path.display().to_string()),
                file,
                ch.raw.lines().count()
            );
        }
    }
    code
}
