//! What the Axum app's test suites share: the app's binary started against the live stack
//! (`scripts/stack up`), found at run time, and stopped with the test process.

// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

pub mod tasks;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct App {
    pub url: String,
    // Held so the app sees stdin close (and exits) when this test process ends.
    _stdin: Mutex<ChildStdin>,
    child: Mutex<Child>,
}

/// What `scripts/stack env` exports; the tests run with it (scripts/test sets it up).
pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: run the tests through scripts/test, \
             or after `eval \"$(scripts/stack env)\"`"
        )
    })
}

pub fn orchestration_url() -> String {
    env("ORCHESTRATION_URL")
}

/// The app's own database: Tasker's server, database `example_axum`.
pub fn app_database_url() -> String {
    let tasker = env("DATABASE_URL");
    let server = tasker
        .rsplit_once('/')
        .map(|(server, _)| server)
        .unwrap_or(&tasker);
    format!("{server}/example_axum")
}

/// The app's binary, as Cargo tells the test when it runs it (not when it compiles it: a
/// checkout sharing the build cache may have compiled this test).
fn app_binary() -> PathBuf {
    std::env::var_os("CARGO_BIN_EXE_axum-quickstart")
        .map(PathBuf::from)
        .expect("CARGO_BIN_EXE_axum-quickstart: run this test with cargo test")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn answers(url: &str) -> bool {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    client
        .get(url)
        .send()
        .is_ok_and(|r| r.status().is_success())
}

impl App {
    /// SIGKILL: the process ends at once, in the middle of whatever it was doing.
    pub fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        child.kill().expect("killing axum-quickstart");
        child.wait().expect("reaping axum-quickstart");
    }
}

/// Starts the app and waits for /health. Blocking: call it from a blocking context.
pub fn spawn_app(extra_env: &[(&str, &str)]) -> App {
    let ready = Instant::now();
    assert!(
        answers(&format!("{}/health/ready", orchestration_url())),
        "the Tasker stack is not running: start it with `scripts/stack up`"
    );
    env("TASKER_CONFIG_PATH");

    let port = free_port();
    // Cargo runs integration tests from the package's directory.
    let templates = std::env::current_dir().unwrap().join("templates");
    let mut cmd = Command::new(app_binary());
    cmd.env("PORT", port.to_string())
        .env("APP_DATABASE_URL", app_database_url())
        .env("APP_EXIT_ON_STDIN_EOF", "1")
        .env("TASKER_TEMPLATE_PATH", templates)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("starting axum-quickstart");
    let stdin = child.stdin.take().unwrap();
    // Keep the app's stderr flowing into ours, so a failure shows the app's own words.
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[app:{port}] {line}");
        }
    });
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !answers(&format!("{url}/health")) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("axum-quickstart exited ({status}) before answering /health");
        }
        assert!(
            Instant::now() < deadline,
            "axum-quickstart did not answer /health within 60 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "axum-quickstart up on {url} in {} ms",
        ready.elapsed().as_millis()
    );
    App {
        url,
        _stdin: Mutex::new(stdin),
        child: Mutex::new(child),
    }
}
