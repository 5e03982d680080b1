//! mdBook preprocessor: renders every code block's verification badge, and each chapter's
//! provenance stamp and summary table, into the book's HTML.
//!
//! Registered in book.toml as `[preprocessor.verification]`. The verification report comes
//! from the `QS_VERIFICATION_REPORT` environment variable (scripts/test sets it for the
//! book it builds after the tests); without it, the book says it is unverified.

use std::io::Write;
use std::process::ExitCode;

use book_verification::render::{NotRunIndex, render_chapter, render_facts};
use book_verification::{Report, Vocabulary};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("supports") {
        // The badges are HTML; other renderers get the plain chapters.
        return if args.get(1).map(String::as_str) == Some("html") {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdbook-verification: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let (_ctx, mut book) =
        mdbook_preprocessor::parse_input(std::io::stdin()).map_err(|e| format!("{e:#}"))?;
    let report = match std::env::var_os("QS_VERIFICATION_REPORT") {
        Some(path) => Some(Report::load(std::path::Path::new(&path))?),
        None => None,
    };
    let vocabulary = Vocabulary::get();
    // First what the whole book holds (for the pages that list it), then each chapter.
    let mut not_run = NotRunIndex::default();
    book.for_each_chapter_mut(|chapter| {
        if let Some(path) = chapter.path.as_ref() {
            let path = path.to_string_lossy().replace('\\', "/");
            not_run.add_chapter(&path, &chapter.name, &chapter.content, vocabulary);
        }
    });
    let mut errors = Vec::new();
    book.for_each_chapter_mut(|chapter| {
        let Some(path) = chapter.path.as_ref() else { return };
        let path = path.to_string_lossy().replace('\\', "/");
        let facts = render_facts(&chapter.content, &path, &not_run, report.as_ref(), vocabulary);
        match render_chapter(&path, &facts, report.as_ref(), vocabulary) {
            Ok(rendered) => chapter.content = rendered,
            Err(e) => errors.push(e),
        }
    });
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer(&mut out, &book).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())
}
