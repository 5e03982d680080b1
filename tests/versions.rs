//! One Tasker version everywhere: every `tasker-*` pin in the workspace, the version the
//! scripts build and the badges print, and the version the running server reports.

use tasker_quickstarts::{http, orchestration_url, repo_root};

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `tasker-foo = "=X"` and `tasker-foo = { version = "=X" … }` pins in a Cargo.toml.
fn pins(path: &str) -> Vec<(String, String)> {
    let re = regex::Regex::new(r#"(?m)^(tasker-[a-z-]+)\s*=\s*(?:\{[^}]*version\s*=\s*)?"=?([0-9][^"]*)""#).unwrap();
    re.captures_iter(&read(path)).map(|c| (format!("{path}: {}", &c[1]), c[2].to_string())).collect()
}

#[test]
fn every_pin_names_the_same_tasker_version() {
    let lib = read("scripts/lib.sh");
    let version = regex::Regex::new(r"QS_TASKER_VERSION=(\S+)").unwrap().captures(&lib).expect("QS_TASKER_VERSION in scripts/lib.sh")[1].to_string();
    let mut found = Vec::new();
    found.extend(pins("Cargo.toml"));
    for entry in std::fs::read_dir(repo_root().join("listings")).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        if manifest.exists() {
            found.extend(pins(manifest.strip_prefix(repo_root()).unwrap().to_str().unwrap()));
        }
    }
    assert!(found.len() >= 4, "expected tasker-* pins, found {found:?}");
    let wrong: Vec<_> = found.iter().filter(|(_, v)| *v != version).collect();
    assert!(wrong.is_empty(), "pins that differ from scripts/lib.sh's {version}: {wrong:?}");
    let badge = read("theme/verification.js");
    assert!(badge.contains(&format!("const VERSION = \"{version}\"")), "theme/verification.js names another version than {version}");
}

#[test]
fn the_running_server_is_that_version() {
    tasker_quickstarts::require_stack();
    let (_, body) = http::get(&format!("{}/health/ready", orchestration_url()), std::time::Duration::from_secs(2)).unwrap();
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    let lib = read("scripts/lib.sh");
    assert!(lib.contains(&format!("QS_TASKER_VERSION={}", health["info"]["version"].as_str().unwrap())), "server reports {}", health["info"]["version"]);
}
