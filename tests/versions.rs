//! One version per Tasker package, from `[workspace.metadata.tasker]` in Cargo.toml: every pin
//! in the repository agrees with it, and the running server is that version.

use std::process::Command;
use std::time::Duration;

use book_verification::versions::{Language, Versions};
use regex::Regex;
use tasker_quickstarts::{StackEnv, http, repo_root};

/// How each language's package is pinned, wherever it appears (manifests, lock files,
/// install lines in chapters and scripts).
fn pin_patterns() -> Vec<(Language, Regex)> {
    let re = |s: &str| Regex::new(s).unwrap();
    vec![
        (Language::Rust, re(r#"(?m)^tasker-[a-z-]+\s*=\s*(?:\{[^}\n]*version\s*=\s*)?"=?([0-9][^"]*)""#)),
        (Language::Python, re(r"tasker-py==([0-9][0-9A-Za-z.+-]*)")),
        (Language::TypeScript, re(r#"@tasker-systems/tasker@([0-9][0-9A-Za-z.+-]*)"#)),
        (Language::TypeScript, re(r#""@tasker-systems/tasker"\s*:\s*"[~^]?([0-9][^"]*)""#)),
        (Language::Ruby, re(r#"gem ['"]tasker-rb['"],\s*['"][~>= ]*([0-9][^'"]*)['"]"#)),
        // Prose in chapters and the README: `tasker-py` 0.1.8, `tasker-rb` **0.1.10** …
        (
            Language::Rust,
            re(r"`(?:crate )?tasker-(?:orchestration|shared|worker)`\s+\**([0-9]+\.[0-9]+\.[0-9]+)"),
        ),
        (Language::Python, re(r"`tasker-py`\s+\**([0-9]+\.[0-9]+\.[0-9]+)")),
        (Language::TypeScript, re(r"`@tasker-systems/tasker`\s+\**([0-9]+\.[0-9]+\.[0-9]+)")),
        (Language::Ruby, re(r"`tasker-rb`\s+\**([0-9]+\.[0-9]+\.[0-9]+)")),
    ]
}

/// Tracked and untracked (not ignored) text files, relative to the repository.
fn repository_files() -> Vec<String> {
    let out = Command::new("git")
        .args(["ls-files", "-co", "--exclude-standard"])
        .current_dir(repo_root())
        .output()
        .expect("git ls-files");
    String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect()
}

#[test]
fn every_pin_follows_the_version_map() {
    let root = repo_root();
    let versions = Versions::load(&root).unwrap();
    let patterns = pin_patterns();
    let mut found = Vec::new();
    let mut wrong = Vec::new();
    for file in repository_files() {
        // The lock files pin other crates' versions (Cargo.lock follows Cargo.toml by
        // itself); the drift check's cases describe wrong pins on purpose.
        if file.ends_with("Cargo.lock") || file.ends_with("bun.lock") || file == "tests/drift-cases.toml" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else { continue };
        for (language, re) in &patterns {
            // The manifest pattern reads `tasker-x = "…"` lines, which only Cargo.toml has.
            if *language == Language::Rust && re.as_str().starts_with("(?m)") && !file.ends_with("Cargo.toml")
            {
                continue;
            }
            for c in re.captures_iter(&text) {
                let line = text[..c.get(0).unwrap().start()].matches('\n').count() + 1;
                found.push((*language, format!("{file}:{line}")));
                if &c[1] != versions.of(*language) {
                    wrong.push(format!(
                        "{file}:{line}: {} pins {}, the map says {}",
                        language,
                        &c[1],
                        versions.of(*language)
                    ));
                }
            }
        }
    }
    for language in Language::ALL {
        assert!(
            found.iter().any(|(l, _)| *l == language),
            "no pin of the {language} package found: the check would prove nothing ({found:?})"
        );
    }
    assert!(
        wrong.is_empty(),
        "pins that differ from [workspace.metadata.tasker] in Cargo.toml:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_running_server_is_that_version() {
    let versions = Versions::load(&repo_root()).unwrap();
    let url = format!("{}/health/ready", StackEnv::get().orchestration_url());
    let (_, body) = http::get(&url, Duration::from_secs(2))
        .unwrap_or_else(|e| panic!("{e}; start the stack: scripts/stack up"));
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        health["info"]["version"].as_str(),
        Some(versions.server()),
        "the server reports {}",
        health["info"]
    );
}
