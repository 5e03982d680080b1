//! The stack's addresses and credentials, from `scripts/stack env`: the one place they are
//! decided (ports and paths follow TASKER_QS_* overrides there). scripts/test exports them
//! before any test starts (`eval "$(scripts/stack env)"`), and a test process then takes
//! them from its environment; the script runs only where they are not there.

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use crate::{env::reader_env, http, paths::repo_root};

#[derive(Debug, Clone)]
pub struct StackEnv {
    vars: BTreeMap<String, String>,
}

impl StackEnv {
    /// The stack's environment, read once per test process: exported by the caller, or
    /// else the `export` lines of `scripts/stack env`.
    pub fn get() -> &'static StackEnv {
        static ENV: OnceLock<StackEnv> = OnceLock::new();
        ENV.get_or_init(|| {
            if let Some(exported) = StackEnv::exported() {
                return exported;
            }
            let script = repo_root().join("scripts/stack");
            let out = reader_env(&mut Command::new(&script))
                .arg("env")
                .output()
                .unwrap_or_else(|e| panic!("running {} env: {e}", script.display()));
            assert!(
                out.status.success(),
                "scripts/stack env failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            StackEnv::parse(&String::from_utf8_lossy(&out.stdout))
        })
    }

    /// The environment this process was started with, when it holds the stack's: the
    /// variables `scripts/stack env` always exports are all set.
    fn exported() -> Option<StackEnv> {
        const ALWAYS: [&str; 3] = ["ORCHESTRATION_URL", "DATABASE_URL", "TASKER_QS_STATE"];
        let vars: BTreeMap<String, String> = std::env::vars().collect();
        ALWAYS.iter().all(|name| vars.contains_key(*name)).then_some(StackEnv { vars })
    }

    pub fn parse(text: &str) -> StackEnv {
        let vars = text
            .lines()
            .filter_map(|l| l.strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .filter(|(_, v)| !v.contains('$'))
            .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
            .collect();
        StackEnv { vars }
    }

    pub fn var(&self, name: &str) -> &str {
        self.vars
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("scripts/stack env does not export {name}"))
    }

    pub fn orchestration_url(&self) -> &str {
        self.var("ORCHESTRATION_URL")
    }

    /// The stack's Prometheus (scripts/stack starts it with the server).
    pub fn prometheus_url(&self) -> &str {
        self.var("PROMETHEUS_URL")
    }

    /// Tasker's database, with the credentials.
    pub fn database_url(&self) -> &str {
        self.var("DATABASE_URL")
    }

    /// `host:port` of PostgreSQL and of the REST API, for checks that they are free.
    pub fn pg_address(&self) -> String {
        let url = self.database_url();
        let host_port = url.rsplit('@').next().unwrap_or(url);
        host_port.split('/').next().unwrap_or(host_port).to_string()
    }

    pub fn http_address(&self) -> String {
        self.orchestration_url().trim_start_matches("http://").trim_end_matches('/').to_string()
    }
}

/// Fails at once, naming the command that starts the stack, when nothing answers. Never
/// skips: a test that needs Tasker and cannot reach it has failed.
///
/// A server that answers 503 is running but busy: its readiness check asks the command
/// processor, which on a loaded 2-core machine can miss the check's 1 s deadline. That gets
/// a few more tries before it counts as a failure.
pub fn require_stack() -> Result<(), String> {
    const BUSY_TRIES: u32 = 10;
    let url = format!("{}/health/ready", StackEnv::get().orchestration_url());
    let mut tries = 0;
    loop {
        tries += 1;
        match http::get(&url, Duration::from_secs(2)) {
            Ok((200, _)) => return Ok(()),
            Ok((503, _)) if tries < BUSY_TRIES => std::thread::sleep(Duration::from_millis(500)),
            Ok((status, body)) => {
                return Err(format!(
                    "the Tasker stack answers {url} with {status}, not 200 \
                     ({tries} tries): {body}\n\
                     check it with `scripts/stack status` and `scripts/stack logs`"
                ));
            }
            Err(e) => {
                return Err(format!(
                    "the Tasker stack is not running ({e}).\n\
                     Start it with `scripts/stack up` (or run everything with `scripts/test`)."
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_export_lines_only() {
        let env = StackEnv::parse(
            "export ORCHESTRATION_URL=http://127.0.0.1:8080\nexport DATABASE_URL=postgresql://tasker:tasker@127.0.0.1:54329/tasker\ncase x in *) export PATH=\"/x:$PATH\" ;; esac\n",
        );
        assert_eq!(env.pg_address(), "127.0.0.1:54329");
        assert_eq!(env.http_address(), "127.0.0.1:8080");
        assert!(!env.vars.contains_key("PATH"));
    }
}
