//! A chapter as a test: its shell blocks run top to bottom in one session, servers start
//! and are waited for, and each shown output must be what the command before it printed.
//! The first failure ends the chapter, naming the file and line, the command and a diff.

use std::collections::BTreeMap;
use std::time::Instant;

use book_verification::requirements::unmet;
use book_verification::{Block, Chapter, Evidence, Folder, Outcome, Record, Verification, Vocabulary};

use crate::session::{Readiness, Session};
use crate::{evidence, overwrite, overwrite_snapshots, paths, redact, stack};

/// Runs the chapter and records every block's outcome as evidence.
pub fn run_chapter(chapter: &Chapter) -> Result<(), String> {
    let mut outcomes = BTreeMap::new();
    let started = Instant::now();
    let result = run_blocks(chapter, &mut outcomes);
    let took = started.elapsed();
    eprintln!("  chapter {} took {:.1} s", chapter.file(), took.as_secs_f64());
    let overall = match &result {
        Ok(()) => Outcome::Passed,
        Err(message) => Outcome::Failed { message: message.clone() },
    };
    let mut record = Record::new(Evidence::Chapter { chapter: chapter.path.clone() }, overall).took(took);
    record.blocks = outcomes;
    evidence::record(&record);
    result
}

fn run_blocks(chapter: &Chapter, outcomes: &mut BTreeMap<usize, Outcome>) -> Result<(), String> {
    stack::require_stack()?;
    let file = chapter.file();
    let dir = paths::state_dir().join("harness").join(chapter.path.replace('/', "_"));
    let mut session = Session::start(&paths::repo_root(), dir)?;
    let mut last_run: Option<(&Block, String)> = None;
    // The output block a background program has already been seen to print.
    let mut printed_when_ready: Option<usize> = None;
    let mut rewrites = Vec::new();
    // From a block whose requirement is not installed on, the chapter is not run here.
    let stretches = unmet(chapter, &paths::repo_root(), Vocabulary::get());
    let mut announced = std::collections::BTreeSet::new();
    let fail = |outcomes: &mut BTreeMap<usize, Outcome>, block: &Block, message: String| {
        outcomes.insert(block.index, Outcome::Failed { message: message.clone() });
        message
    };
    for block in &chapter.blocks {
        if let Some(unmet) = stretches.iter().find(|u| u.covers(block)) {
            if announced.insert(unmet.from_index) {
                eprintln!(
                    "  not running {file}:{} and what follows it in that folder: {}",
                    chapter.blocks[unmet.from_index].line, unmet.reason
                );
            }
            outcomes.insert(block.index, Outcome::NotRun { reason: unmet.reason.clone() });
            continue;
        }
        let t0 = Instant::now();
        let id = format!("block-{}", block.line);
        let moved = match block.folder {
            Some(Folder::New) => session.go_to_new_folder(&id).map(|_| ()),
            Some(Folder::BookClone) => session.go_to_book_clone(&id, &paths::repo_root()),
            None => Ok(()),
        };
        moved.map_err(|why| fail(outcomes, block, format!("{file}:{}: {why}", block.line)))?;
        // The reader's install command cannot run here; the package is installed the way
        // the suite has it, so that the blocks after it run as the reader's would.
        if let Some(command) = block.stand_in.as_ref().and_then(|k| Vocabulary::get().requirement(k.as_str()))
            && !stretches.iter().any(|u| u.from_index == block.index)
            && let Some(command) = command.stand_in.as_deref()
        {
            session.run(&format!("{id}-stand-in"), command).map_err(|why| {
                let message = format!(
                    "{file}:{}: the stand-in for this block failed: {why}\n--- stand-in\n{command}",
                    block.line
                );
                fail(outcomes, block, message)
            })?;
            eprintln!("  stood in for {file}:{} in {} ms", block.line, t0.elapsed().as_millis());
        }
        match &block.verification {
            Verification::Run => {
                let out = session.run(&id, &block.shown).map_err(|why| {
                    let message =
                        format!("{file}:{}: {why}\n--- command\n{}", block.line, block.shown.trim_end());
                    fail(outcomes, block, message)
                })?;
                eprintln!("  ran {file}:{} in {} ms", block.line, t0.elapsed().as_millis());
                outcomes.insert(block.index, Outcome::Passed);
                last_run = Some((block, out));
            }
            Verification::File { path } => {
                session.save_file(&id, path, &block.shown).map_err(|why| {
                    fail(outcomes, block, format!("{file}:{}: saving {path}: {why}", block.line))
                })?;
                eprintln!("  saved {file}:{} as {path} in {} ms", block.line, t0.elapsed().as_millis());
                outcomes.insert(block.index, Outcome::Passed);
            }
            Verification::Server { port } => {
                // Without a port, the output block after it (the policy guarantees one) is
                // what the program prints once it is ready.
                let printed = chapter.blocks.get(block.index + 1).map(|b| b.shown.as_str()).unwrap_or("");
                let ready = match port {
                    Some(port) => Readiness::Port(*port),
                    None => Readiness::Prints(printed),
                };
                session.start_server(&id, &block.shown, ready).map_err(|why| {
                    let message =
                        format!("{file}:{}: {why}\n--- command\n{}", block.line, block.shown.trim_end());
                    fail(outcomes, block, message)
                })?;
                eprintln!("  started {file}:{} (ready in {} ms)", block.line, t0.elapsed().as_millis());
                outcomes.insert(block.index, Outcome::Passed);
                if port.is_none() {
                    printed_when_ready = Some(block.index + 1);
                }
            }
            Verification::Output if printed_when_ready == Some(block.index) => {
                outcomes.insert(block.index, Outcome::Passed);
            }
            Verification::Output => {
                // The policy (build.rs) guarantees a shell `run` block right before.
                let (command, actual) = last_run
                    .take()
                    .ok_or_else(|| format!("{file}:{}: no command before this output", block.line))?;
                let want = redact::redact(&block.shown);
                let got = redact::redact(&actual);
                if want.trim_end() == got.trim_end() {
                    outcomes.insert(block.index, Outcome::Passed);
                    continue;
                }
                if overwrite_snapshots() && block.include.is_none() {
                    rewrites.push((block, actual));
                    outcomes.insert(block.index, Outcome::Passed);
                    continue;
                }
                let message = format!(
                    "{file}:{}: the output shown differs from what the command printed\n\
                     --- command ({file}:{})\n{}\n\
                     --- diff (- shown in the book, + actual; UUIDs, times and durations redacted)\n{}\n\
                     (to accept the new output: SNAPSHOTS=overwrite scripts/test)",
                    block.line,
                    command.line,
                    command.shown.trim_end(),
                    redact::diff(&want, &got)
                );
                return Err(fail(outcomes, block, message));
            }
            // Everything else has other evidence (suites, checkers, the diagrams test).
            _ => {}
        }
    }
    session.stop();
    if !rewrites.is_empty() {
        overwrite::rewrite_outputs(&paths::repo_root().join(&file), &rewrites)?;
    }
    Ok(())
}
