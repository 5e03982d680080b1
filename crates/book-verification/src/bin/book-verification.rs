//! The verification model from the command line, for scripts/test and for authors.
//!
//!   book-verification check               the book's rules (what build.rs enforces)
//!   book-verification record suite NAME passed|failed [MESSAGE]|not-run REQUIREMENT [--seconds S]
//!                                         a listing suite's result, as evidence
//!   book-verification timings             the measured chapters and suites, slowest first
//!   book-verification report [--out FILE] join the evidence into the verification report
//!   book-verification links BOOK_DIR      internal links and #fragments of the built HTML
//!   book-verification pins                every Tasker pin: language, version, file:line
//!   book-verification pins set LANGUAGE VERSION
//!                                         move every pin of a language (the upgrade radar)
//!
//! Run from the repository (or pass --root DIR). Evidence goes to
//! $TASKER_QS_STATE/report/results (default .state/report/results).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use book_verification::report::{DriftResult, Provenance, git_state, read_records, timings, utc_date_today};
use book_verification::versions::{Language, Versions};
use book_verification::{Book, Evidence, Outcome, Record, Report, Vocabulary, links, policy};

const USAGE: &str = "usage: book-verification [--root DIR] <check | record suite NAME passed|failed [MESSAGE]|not-run REQUIREMENT [--seconds S] | timings | report [--out FILE] | links BOOK_DIR | pins [set LANGUAGE VERSION]>";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let root = match take_option(&mut args, "--root") {
        Some(dir) => PathBuf::from(dir),
        None => match find_root() {
            Some(root) => root,
            None => {
                return fail("not inside the book's repository (no book.toml above the current directory)");
            }
        },
    };
    let result = match args.first().map(String::as_str) {
        Some("check") => check(&root),
        Some("record") => {
            let seconds = take_option(&mut args, "--seconds");
            record(&root, &args[1..], seconds.as_deref())
        }
        Some("timings") => read_records(&results_dir(&root)).map(|records| {
            for line in timings(&records) {
                println!("{line}");
            }
        }),
        Some("report") => {
            let out =
                take_option(&mut args, "--out").map(PathBuf::from).unwrap_or_else(|| report_path(&root));
            report(&root, &out)
        }
        Some("links") => match args.get(1) {
            Some(dir) => check_links(Path::new(dir)),
            None => Err(USAGE.to_string()),
        },
        Some("pins") => match args.get(1..).unwrap_or_default() {
            [] => list_pins(&root),
            [set, language, version] if set == "set" => set_pins(&root, language, version),
            _ => Err(USAGE.to_string()),
        },
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("book-verification: {message}");
    // 2 for how it was called, 1 for what it found: scripts tell the two apart.
    if message.starts_with("usage:") { ExitCode::from(2) } else { ExitCode::FAILURE }
}

fn take_option(args: &mut Vec<String>, name: &str) -> Option<String> {
    let i = args.iter().position(|a| a == name)?;
    args.remove(i);
    (i < args.len()).then(|| args.remove(i))
}

fn find_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors().find(|d| d.join("book.toml").is_file()).map(Path::to_path_buf)
}

fn state_dir(root: &Path) -> PathBuf {
    std::env::var_os("TASKER_QS_STATE").map(PathBuf::from).unwrap_or_else(|| root.join(".state"))
}

fn results_dir(root: &Path) -> PathBuf {
    state_dir(root).join("report/results")
}

fn report_path(root: &Path) -> PathBuf {
    state_dir(root).join("report/verification-report.json")
}

fn check(root: &Path) -> Result<(), String> {
    let book = Book::load(root)?;
    let problems = policy::check(&book);
    if problems.is_empty() {
        let blocks = book.blocks().count();
        println!("{} chapters, {blocks} code blocks: every one says how it is verified", book.chapters.len());
        return Ok(());
    }
    let list: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
    Err(format!("the book breaks {} rule(s):\n{}", problems.len(), list.join("\n")))
}

fn record(root: &Path, args: &[String], seconds: Option<&str>) -> Result<(), String> {
    let [kind, name, status, rest @ ..] = args else { return Err(USAGE.to_string()) };
    if kind != "suite" {
        return Err(USAGE.to_string());
    }
    let vocabulary = Vocabulary::get();
    if vocabulary.suite(name).is_none() {
        let known: Vec<&str> = vocabulary.suite_names().collect();
        return Err(format!("no suite `{name}` in vocabulary.toml (known: {})", known.join(", ")));
    }
    let outcome = match status.as_str() {
        "passed" => Outcome::Passed,
        "failed" => Outcome::Failed { message: rest.join(" ") },
        // Not run because a requirement (vocabulary.toml) is missing: its text is the reason.
        "not-run" => {
            let key = rest.first().map(String::as_str).unwrap_or("");
            let requirement = vocabulary.requirement(key).ok_or_else(|| {
                let known: Vec<&str> = vocabulary.requirement_keys().collect();
                format!("not-run needs a requirement of vocabulary.toml (known: {})", known.join(", "))
            })?;
            Outcome::NotRun { reason: requirement.missing.clone() }
        }
        other => return Err(format!("`{other}` is not passed, failed or not-run\n{USAGE}")),
    };
    let mut record = Record::new(Evidence::Suite { suite: name.clone() }, outcome);
    if let Some(text) = seconds {
        let seconds: f64 = text.parse().map_err(|_| format!("--seconds {text}: not a number of seconds"))?;
        record.millis = Some((seconds * 1000.0).round() as u64);
    }
    record.write(&results_dir(root)).map_err(|e| format!("writing the record: {e}"))
}

fn report(root: &Path, out: &Path) -> Result<(), String> {
    let book = Book::load(root)?;
    let records = read_records(&results_dir(root))?;
    let (commit, dirty) = git_state(root);
    let provenance = Provenance {
        tasker_version: Versions::load(root)?.server().to_string(),
        commit,
        dirty,
        date: utc_date_today(),
    };
    let mut report = Report::assemble(&book, &records, provenance);
    report.drift = DriftResult::read(&results_dir(root));
    report.save(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let totals = report.totals();
    let unproven: Vec<String> = report
        .unproven()
        .map(|b| match &b.outcome {
            Outcome::Failed { message } => {
                format!("  failed   src/{}:{}  {}", b.chapter, b.line, message.lines().next().unwrap_or(""))
            }
            _ => format!("  missing  src/{}:{}  ({}: its test recorded nothing)", b.chapter, b.line, b.kind),
        })
        .collect();
    println!(
        "verification report {}: {} blocks, {} executed, {} checked, {} not run here, {} failed or missing",
        out.display(),
        report.blocks.len(),
        totals.executed,
        totals.checked,
        totals.not_run,
        unproven.len()
    );
    if unproven.is_empty() { Ok(()) } else { Err(format!("blocks without proof:\n{}", unproven.join("\n"))) }
}

fn check_links(book_dir: &Path) -> Result<(), String> {
    let broken = links::check_rendered(book_dir)?;
    if broken.is_empty() {
        println!("internal links and #fragments of {}: all resolve", book_dir.display());
        return Ok(());
    }
    let list: Vec<String> = broken.iter().map(|b| format!("  - {b}")).collect();
    Err(format!("{} broken link(s):\n{}", broken.len(), list.join("\n")))
}

fn list_pins(root: &Path) -> Result<(), String> {
    for pin in book_verification::pins::find_pins(root)? {
        println!("{:<11} {:<8} {}:{}", pin.language.key(), pin.version, pin.file, pin.line);
    }
    Ok(())
}

fn set_pins(root: &Path, language: &str, version: &str) -> Result<(), String> {
    let language = Language::ALL.into_iter().find(|l| l.key() == language).ok_or_else(|| {
        let keys: Vec<&str> = Language::ALL.iter().map(|l| l.key()).collect();
        format!("usage: no language `{language}` (one of {})", keys.join(", "))
    })?;
    for file in book_verification::pins::set_pins(root, language, version)? {
        println!("{file}");
    }
    Ok(())
}
