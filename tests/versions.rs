//! One version per Tasker package, from `[workspace.metadata.tasker]` in Cargo.toml: every pin
//! in the repository agrees with it, and the running server is that version.

use std::time::Duration;

use book_verification::pins::find_pins;
use book_verification::versions::{Language, Versions};
use tasker_quickstarts::{StackEnv, http, repo_root};

#[test]
fn every_pin_follows_the_version_map() {
    let root = repo_root();
    let versions = Versions::load(&root).unwrap();
    let pins = find_pins(&root).unwrap();
    for language in Language::ALL {
        // Besides the version map itself, at least one real pin per language.
        let real = pins.iter().filter(|p| p.language == language && p.file != "Cargo.toml").count();
        assert!(real > 0, "no pin of the {language} package found: the check would prove nothing");
    }
    let wrong: Vec<String> = pins
        .iter()
        .filter(|p| p.version != versions.of(p.language))
        .map(|p| {
            format!(
                "{}:{}: {} pins {}, the map says {}",
                p.file,
                p.line,
                p.language,
                p.version,
                versions.of(p.language)
            )
        })
        .collect();
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
