//! The parts of the Bun and Rails listings that cannot run here are still checked, each with
//! its own language's tool: the TypeScript compiler for listings/bun, `ruby -wc` and RuboCop
//! for listings/rails. (What can run does: `bun test` in scripts/test, the Ruby tests in the
//! Rails chapter.) The tools come from `scripts/test`; a missing one fails with how to get it.

use std::path::{Path, PathBuf};
use std::process::Command;

use tasker_quickstarts::repo_root;

fn run(dir: &Path, program: &str, args: &[&str], install_hint: &str) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}); {install_hint}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "`{program} {}` in {} failed:\n{text}", args.join(" "), dir.display());
    text
}

#[test]
fn bun_listing_type_checks_with_tsc() {
    let dir = repo_root().join("listings/bun");
    let tsc = dir.join("node_modules/.bin/tsc");
    assert!(tsc.exists(), "no TypeScript compiler in listings/bun/node_modules: run scripts/test, or `bun install` there");
    // Where @tasker-systems/tasker is installed its types are checked too; where it is not
    // (the npm registry here answers 404), everything imported from it is typed `any`.
    let with_package = dir.join("node_modules/@tasker-systems/tasker").exists();
    let config = if with_package { "tsconfig.json" } else { "tsconfig.without-tasker.json" };
    run(&dir, tsc.to_str().unwrap(), &["-p", config], "");
    println!("tsc -p {config}: no errors ({})", if with_package {
        "with @tasker-systems/tasker's types"
    } else {
        "@tasker-systems/tasker not installed: its API is unchecked"
    });
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

#[test]
fn every_rails_file_parses_with_ruby_wc() {
    let dir = repo_root().join("listings/rails");
    let mut files = Vec::new();
    ruby_files(&dir, &mut files);
    assert!(files.len() >= 15, "expected the Rails app's files, found {}", files.len());
    for file in &files {
        let text = run(&dir, "ruby", &["-wc", file.to_str().unwrap()], "install Debian's ruby (scripts/test does)");
        // -w warnings (unused variables, shadowing) count as failures too.
        assert_eq!(text.trim(), "Syntax OK", "{}: {text}", file.display());
    }
}

#[test]
fn rails_listing_passes_rubocop() {
    let dir = repo_root().join("listings/rails");
    let text = run(&dir, "rubocop", &["--format", "simple", "--no-color"], "install Debian's rubocop (scripts/test does)");
    assert!(text.contains("no offenses detected"), "{text}");
}
