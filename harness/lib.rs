//! Runs the book's chapters as tests. build.rs decides *what* to run (from the chapters as
//! readers see them); this crate decides *how*: one bash session per chapter so `cd` and
//! `export` carry over, servers in the background until the chapter ends, shown output
//! compared with real output after redacting what changes run to run.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

pub mod http;
pub mod redact;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Run in the chapter's shell; must exit 0.
    Run,
    /// Start in the background, wait for `http://127.0.0.1:{port}/health`, stop at chapter end.
    Background,
    /// What the previous `Run` block printed, as the reader sees it.
    Output,
}

#[derive(Debug)]
pub struct Block {
    pub line: usize,
    pub body_lines: (usize, usize),
    pub kind: Kind,
    pub port: u16,
    pub code: &'static str,
    pub from_include: bool,
}

#[derive(Debug)]
pub struct Chapter {
    pub file: &'static str,
    /// Lines in the file when build.rs read it (to place rewrites if the summary changed).
    pub source_lines: usize,
    pub blocks: &'static [Block],
}

/// `SNAPSHOTS=overwrite`: tests rewrite what they compare against instead of failing.
pub fn overwrite_snapshots() -> bool {
    std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite")
}

/// Chapters share the stack, app ports and task namespaces: one at a time.
static ONE_CHAPTER_AT_A_TIME: Mutex<()> = Mutex::new(());

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn state_dir() -> PathBuf {
    std::env::var_os("TASKER_QS_STATE").map(PathBuf::from).unwrap_or_else(|| repo_root().join(".state"))
}

pub fn orchestration_url() -> String {
    std::env::var("ORCHESTRATION_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into())
}

/// Fails in well under 5 s, naming the command that starts the stack. Never skips: a test
/// that needs Tasker and cannot reach it has failed.
pub fn require_stack() {
    let url = format!("{}/health/ready", orchestration_url());
    match http::get(&url, Duration::from_secs(2)) {
        Ok((200, _)) => {}
        Ok((status, body)) => panic!(
            "the Tasker stack answers {url} with {status}, not 200: {body}\n\
             check it with `scripts/stack status` and `scripts/stack logs`"
        ),
        Err(e) => panic!(
            "the Tasker stack is not running ({url}: {e}).\n\
             Start it with `scripts/stack up` (or run everything with `scripts/test`)."
        ),
    }
}

/// Removes what `cargo test` adds to a test's environment (CARGO_PKG_*, OUT_DIR,
/// LD_LIBRARY_PATH, RUSTUP_TOOLCHAIN, …), so commands run from a test see the environment
/// of the shell that started the suite, as a reader's would. It matters beyond fidelity:
/// tasker-shared records OUT_DIR as an environment dependency, so a nested `cargo build`
/// that inherits the test's OUT_DIR recompiles Tasker (minutes) and flips the shared cache.
pub fn reader_env(cmd: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        let injected = (k.starts_with("CARGO_") && k != "CARGO_TARGET_DIR")
            || matches!(
                k.as_ref(),
                "CARGO" | "OUT_DIR" | "LD_LIBRARY_PATH" | "RUSTUP_TOOLCHAIN" | "RUSTUP_TOOLCHAIN_SOURCE" | "RUST_RECURSION_COUNT"
            );
        if injected {
            cmd.env_remove(&key);
        }
    }
    cmd
}

/// Compiled Rust snippets get a test that calls their `main`.
pub fn rust_snippet(file: &str, line: usize, main: fn()) {
    let _guard = ONE_CHAPTER_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    require_stack();
    eprintln!("running the Rust program at {file}:{line}");
    main();
}

struct Session {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    dir: PathBuf,
    background: Vec<(u32, PathBuf, usize)>,
}

impl Session {
    fn start(chapter: &Chapter) -> Session {
        let dir = state_dir().join("harness").join(chapter.file.replace('/', "_"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("creating the session dir");
        let mut child = reader_env(&mut Command::new("bash"))
            .args(["--noprofile", "--norc"])
            .current_dir(repo_root())
            .env("QS_SESSION_DIR", &dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting bash");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Session { child, stdin, lines, dir, background: Vec::new() }
    }

    /// Sends one command line to the session's bash, followed by an echo of `marker`, and
    /// waits for that marker on bash's stdout: Timeout if it takes longer than `limit`,
    /// Disconnected if bash exited (errexit after a failing command).
    fn send_and_wait(&mut self, command: &str, marker: &str, limit: Duration) -> Result<(), RecvTimeoutError> {
        writeln!(self.stdin, "{command}; echo {marker}").unwrap();
        self.stdin.flush().unwrap();
        let deadline = Instant::now() + limit;
        loop {
            match self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now()))? {
                l if l == marker => return Ok(()),
                _ => continue,
            }
        }
    }

    /// Runs one block in the session; returns its combined stdout+stderr.
    fn run(&mut self, chapter: &Chapter, block: &Block) -> String {
        let script = self.dir.join(format!("block-{}.sh", block.line));
        let out = self.dir.join(format!("block-{}.out", block.line));
        std::fs::write(&script, block.code).unwrap();
        // errexit + pipefail inside the group: the first failing command ends the session,
        // and the test reports which one. Output goes to a file; bash's own stdout carries
        // only our end marker.
        let limit = Duration::from_secs(300);
        let command = format!(
            "set -eo pipefail; {{ source {:?}; }} >{:?} 2>&1 </dev/null; set +e +o pipefail",
            script, out
        );
        match self.send_and_wait(&command, &format!("__QS_DONE_{}__", block.line), limit) {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout) => {
                let output = std::fs::read_to_string(&out).unwrap_or_default();
                self.stop();
                panic!(
                    "{}:{}: still running after {}s\n--- command\n{}\n--- output so far\n{}",
                    chapter.file, block.line, limit.as_secs(), block.code.trim_end(), output
                );
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
                let output = std::fs::read_to_string(&out).unwrap_or_default();
                self.stop();
                panic!(
                    "{}:{}: the command failed ({status})\n--- command\n{}\n--- output\n{}",
                    chapter.file, block.line, block.code.trim_end(), output
                );
            }
        }
        std::fs::read_to_string(&out).unwrap_or_default()
    }

    /// Starts a server block in its own process group, with the session's environment and
    /// directory, and waits until it answers `/health`.
    fn background(&mut self, chapter: &Chapter, block: &Block) {
        let script = self.dir.join(format!("background-{}.sh", block.line));
        let log = self.dir.join(format!("background-{}.log", block.line));
        let pidfile = self.dir.join(format!("background-{}.pid", block.line));
        std::fs::write(&script, block.code).unwrap();
        let command = format!("setsid bash {:?} >{:?} 2>&1 </dev/null & echo $! >{:?}", script, log, pidfile);
        let marker = format!("__QS_STARTED_{}__", block.line);
        if self.send_and_wait(&command, &marker, Duration::from_secs(10)).is_err() {
            panic!("{}:{}: the shell did not start the background command", chapter.file, block.line);
        }
        let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
        self.background.push((pid, log.clone(), block.line));
        let url = format!("http://127.0.0.1:{}/health", block.port);
        // Generous: the first start may compile the app.
        let deadline = Instant::now() + Duration::from_secs(600);
        loop {
            if let Ok((200, _)) = http::get(&url, Duration::from_secs(1)) {
                return;
            }
            let alive = Path::new(&format!("/proc/{pid}")).exists() && !is_zombie(pid);
            if !alive || Instant::now() > deadline {
                let tail = tail(&log, 40);
                self.stop();
                panic!(
                    "{}:{}: the server {} before {url} answered 200\n--- command\n{}\n--- last lines of {}\n{tail}",
                    chapter.file,
                    block.line,
                    if alive { "was still not ready after 600 s" } else { "exited" },
                    block.code.trim_end(),
                    log.display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop(&mut self) {
        for (pid, _, _) in self.background.drain(..).rev() {
            stop_group(pid);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop();
    }
}

fn is_zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| s.rsplit(')').next().is_some_and(|r| r.trim_start().starts_with('Z')))
        .unwrap_or(true)
}

/// SIGTERM to the process group, then SIGKILL after 10 s.
fn stop_group(pid: u32) {
    let group = format!("-{pid}");
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Path::new(&format!("/proc/{pid}")).exists() && !is_zombie(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
}

fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Runs a chapter top to bottom. Fails at the first failing command or output mismatch,
/// naming the chapter file and line, the command, and a diff.
pub fn run_chapter(chapter: &Chapter) {
    let _guard = ONE_CHAPTER_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    require_stack();
    let overwrite = overwrite_snapshots();
    let mut session = Session::start(chapter);
    let mut last: Option<(&Block, String)> = None;
    let mut rewrites: Vec<(&Block, String)> = Vec::new();
    for block in chapter.blocks {
        let t0 = Instant::now();
        match block.kind {
            Kind::Run => {
                let out = session.run(chapter, block);
                eprintln!("  ran {}:{} in {} ms", chapter.file, block.line, t0.elapsed().as_millis());
                last = Some((block, out));
            }
            Kind::Background => {
                session.background(chapter, block);
                eprintln!("  started {}:{} (ready in {} ms)", chapter.file, block.line, t0.elapsed().as_millis());
            }
            Kind::Output => {
                let (cmd, actual) = last.take().expect("build.rs guarantees a run block first");
                let want = redact::redact(block.code);
                let got = redact::redact(&actual);
                if want.trim_end() == got.trim_end() {
                    continue;
                }
                if overwrite && !block.from_include {
                    rewrites.push((block, actual));
                    continue;
                }
                session.stop();
                panic!(
                    "{}:{}: the output shown differs from what the command printed\n--- command ({}:{})\n{}\n--- diff (- shown in the book, + actual; UUIDs, times and durations redacted)\n{}\n(to accept the new output: SNAPSHOTS=overwrite cargo test)",
                    chapter.file,
                    block.line,
                    chapter.file,
                    cmd.line,
                    cmd.code.trim_end(),
                    redact::diff(&want, &got)
                );
            }
        }
    }
    session.stop();
    if !rewrites.is_empty() {
        rewrite_outputs(chapter, &rewrites);
    }
}

/// SNAPSHOTS=overwrite: replace each mismatching output block's body in the chapter file.
/// The summary test may have grown or shrunk the table at the top of the file meanwhile;
/// that shifts every block by the same number of lines, checked against the fences.
fn rewrite_outputs(chapter: &Chapter, rewrites: &[(&Block, String)]) {
    let file = chapter.file;
    let path = repo_root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let shift = lines.len() as isize - chapter.source_lines as isize;
    let at = |n: usize| (n as isize + shift) as usize;
    // Bottom-up so earlier line numbers stay valid.
    let mut sorted: Vec<_> = rewrites.iter().collect();
    sorted.sort_by_key(|(b, _)| std::cmp::Reverse(b.line));
    for (block, actual) in sorted {
        let (first, last) = (at(block.body_lines.0), at(block.body_lines.1));
        let fence_ok = lines.get(at(block.line) - 1).is_some_and(|l| l.trim_start().starts_with("```"));
        assert!(fence_ok, "{file}:{}: the file changed during the test run; run the tests again", block.line);
        let new: Vec<String> = actual.trim_end().lines().map(str::to_string).collect();
        lines.splice(first - 1..last.max(first - 1), new);
        eprintln!("  SNAPSHOTS=overwrite: rewrote the output at {file}:{}", block.line);
    }
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

/// A chapter's opening table of how its code blocks are verified must be the one build.rs
/// counted from the blocks' labels: the table sits between `start` and the end marker.
pub fn check_summary(file: &str, start: &str, expected: &str) {
    const END: &str = "<!-- /verification-summary -->";
    // Never while a chapter test is rewriting the same file.
    let _guard = ONE_CHAPTER_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let path = repo_root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (Some(s), Some(e)) = (text.find(start), text.find(END)) else {
        panic!("{file}: the verification summary needs both markers:\n{start}\n…\n{END}");
    };
    let body_start = s + start.len() + 1;
    let shown = &text[body_start..e];
    if shown == expected {
        return;
    }
    if overwrite_snapshots() {
        let updated = format!("{}{expected}{}", &text[..body_start], &text[e..]);
        std::fs::write(&path, updated).unwrap();
        eprintln!("{file}: verification summary rewritten");
        return;
    }
    panic!(
        "{file}: the verification summary does not match the code blocks' labels\n{}\n(to accept: SNAPSHOTS=overwrite cargo test)",
        redact::diff(shown, expected)
    );
}
