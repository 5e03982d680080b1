//! The parts of the Bun and Rails listings that cannot run here are still checked, each with
//! its own language's tool: the TypeScript compiler for listings/bun, `ruby -wc` and RuboCop
//! for listings/rails. (What can run does: `bun test` and the Rails standard-library tests in
//! scripts/test.) The tools come from `scripts/test`; a missing one fails with how to get it.

use std::path::{Path, PathBuf};
use std::process::Command;

use book_verification::{Checker, Evidence};
use tasker_quickstarts::evidence::Guard;
use tasker_quickstarts::repo_root;

fn run(dir: &Path, program: &str, args: &[&str], install_hint: &str) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run {program} ({e}); {install_hint}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("`{program} {}` in {} failed:\n{text}", args.join(" "), dir.display()))
    }
}

#[test]
fn bun_listing_type_checks_with_tsc() {
    let _evidence = Guard::new(Evidence::Checker { checker: Checker::Tsc });
    let dir = repo_root().join("listings/bun");
    let tsc = dir.join("node_modules/.bin/tsc");
    assert!(
        tsc.exists(),
        "no TypeScript compiler in listings/bun/node_modules: run scripts/test, or `bun install` there"
    );
    // Where @tasker-systems/tasker is installed its types are checked too; where it is not
    // (the npm registry here answers 404), everything imported from it is typed `any`.
    let with_package = dir.join("node_modules/@tasker-systems/tasker").exists();
    let config = if with_package { "tsconfig.json" } else { "tsconfig.without-tasker.json" };
    run(&dir, tsc.to_str().unwrap(), &["-p", config], "").unwrap_or_else(|e| panic!("{e}"));
    println!(
        "tsc -p {config}: no errors ({})",
        if with_package {
            "with @tasker-systems/tasker's types"
        } else {
            "@tasker-systems/tasker not installed: its API is unchecked"
        }
    );
}

fn ruby_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        if entry.is_dir() {
            ruby_files(&entry, out);
        } else {
            let name = entry.file_name().unwrap().to_string_lossy().into_owned();
            let in_bin = entry.parent().is_some_and(|p| p.ends_with("bin"));
            if name.ends_with(".rb") || name == "Gemfile" || name == "config.ru" || in_bin {
                out.push(entry);
            }
        }
    }
}

/// Both checks the `checked-ruby` badge names: every file parses without warnings under
/// `ruby -wc`, and RuboCop finds no offence.
#[test]
fn rails_listing_passes_ruby_wc_and_rubocop() {
    let _evidence = Guard::new(Evidence::Checker { checker: Checker::Ruby });
    let dir = repo_root().join("listings/rails");
    let mut files = Vec::new();
    ruby_files(&dir, &mut files);
    assert!(files.len() >= 15, "expected the Rails app's files, found {}", files.len());
    let mut problems = Vec::new();
    for file in &files {
        match run(&dir, "ruby", &["-wc", file.to_str().unwrap()], "install Debian's ruby (scripts/test does)")
        {
            // -w warnings (unused variables, shadowing) count as failures too.
            Ok(text) if text.trim() == "Syntax OK" => {}
            Ok(text) | Err(text) => problems.push(format!("ruby -wc {}: {text}", file.display())),
        }
    }
    match run(
        &dir,
        "rubocop",
        &["--format", "simple", "--no-color"],
        "install Debian's rubocop (scripts/test does)",
    ) {
        Ok(text) if text.contains("no offenses detected") => {}
        Ok(text) | Err(text) => problems.push(format!("rubocop: {text}")),
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
