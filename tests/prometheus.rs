//! The stack's Prometheus (scripts/stack, listings/stack/prometheus.yml): its configuration
//! passes Prometheus's own check, and the running one scrapes the orchestration server.

use std::process::Command;
use std::time::{Duration, Instant};

use tasker_quickstarts::{StackEnv, http, repo_root, require_stack};

#[test]
fn its_configuration_passes_promtool() {
    let out = Command::new("promtool")
        .current_dir(repo_root())
        .args(["check", "config", "listings/stack/prometheus.yml"])
        .output()
        .expect("running promtool (scripts/stack up installs it)");
    assert!(
        out.status.success(),
        "promtool check config failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn it_scrapes_the_orchestration_server() {
    require_stack().unwrap_or_else(|e| panic!("{e}"));
    let url = format!("{}/api/v1/targets", StackEnv::get().prometheus_url());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = http::get(&url, Duration::from_secs(2))
            .unwrap_or_else(|e| panic!("{e}; Prometheus starts with the stack: scripts/stack up"));
        assert_eq!(status, 200, "{body}");
        let targets: serde_json::Value = serde_json::from_str(&body).unwrap();
        let server = targets["data"]["activeTargets"]
            .as_array()
            .and_then(|all| all.iter().find(|t| t["labels"]["job"] == "tasker-orchestration"))
            .unwrap_or_else(|| panic!("no tasker-orchestration target: {body}"))
            .clone();
        if server["health"] == "up" {
            return;
        }
        assert!(Instant::now() < deadline, "the server's target is not up after 10 s: {server}");
        std::thread::sleep(Duration::from_millis(200));
    }
}
