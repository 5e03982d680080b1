//! One bash session per chapter: commands run in order in the same shell, so `cd` and
//! `export` carry over as they do for a reader; servers run in their own process groups
//! until the session ends.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use book_verification::leftovers::is_alive;

use crate::env::reader_env;
use crate::http;
use crate::redact::{diff, redact};

/// How long one shell block may take.
const BLOCK_LIMIT: Duration = Duration::from_secs(300);
/// How long a server may take to answer its port (its first start may compile it).
const SERVER_LIMIT: Duration = Duration::from_secs(600);
/// What the suite sets for the book's own apps and a reader's new project does not have:
/// Bundler's Gemfile for the Rails app on Debian's gems (scripts/lib.sh, ensure_ruby), which
/// would make `bundle init` in a new folder find it instead of starting one. Unset when the
/// session moves to a new folder, set again when it comes back to the book's clone.
const SUITE_ONLY_VARIABLES: &[&str] = &["BUNDLE_GEMFILE"];

pub struct Session {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    dir: PathBuf,
    /// Each server's process group and the block that started it.
    servers: Vec<(u32, String)>,
    /// The empty folders made for `in-new-folder` blocks, removed when the session ends.
    new_folders: Vec<PathBuf>,
}

/// How the session knows a background program is ready.
pub enum Readiness<'a> {
    /// `http://127.0.0.1:{port}/health` answers 200.
    Port(u16),
    /// What it has printed so far begins with this text (redacted as outputs are).
    Prints(&'a str),
}

impl Session {
    /// Starts bash in `cwd`, with a scratch folder `dir` for scripts and logs.
    pub fn start(cwd: &Path, dir: PathBuf) -> Result<Session, String> {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let mut child = reader_env(&mut Command::new("bash"))
            .args(["--noprofile", "--norc"])
            .current_dir(cwd)
            .env("QS_SESSION_DIR", &dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting bash: {e}"))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Session { child, stdin, lines, dir, servers: Vec::new(), new_folders: Vec::new() })
    }

    /// Sends one command line followed by an echo of `marker`, and waits for the marker:
    /// Timeout if it takes longer than `limit`, Disconnected if bash exited.
    fn send_and_wait(
        &mut self,
        command: &str,
        marker: &str,
        limit: Duration,
    ) -> Result<(), RecvTimeoutError> {
        writeln!(self.stdin, "{command}; echo {marker}").map_err(|_| RecvTimeoutError::Disconnected)?;
        self.stdin.flush().map_err(|_| RecvTimeoutError::Disconnected)?;
        let deadline = Instant::now() + limit;
        loop {
            if self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now()))? == marker {
                return Ok(());
            }
        }
    }

    /// Runs a block's code in the session; returns its combined stdout and stderr, or why
    /// it failed (with the output so far).
    pub fn run(&mut self, id: &str, code: &str) -> Result<String, String> {
        let script = self.dir.join(format!("{id}.sh"));
        let out = self.dir.join(format!("{id}.out"));
        std::fs::write(&script, code).map_err(|e| e.to_string())?;
        // errexit + pipefail inside the group: the first failing command ends the session.
        // Output goes to a file; bash's own stdout carries only the end marker.
        let command = format!(
            "set -eo pipefail; {{ source {script:?}; }} >{out:?} 2>&1 </dev/null; set +e +o pipefail"
        );
        let result = self.send_and_wait(&command, &format!("__QS_DONE_{id}__"), BLOCK_LIMIT);
        let output = std::fs::read_to_string(&out).unwrap_or_default();
        match result {
            Ok(()) => Ok(output),
            Err(RecvTimeoutError::Timeout) => {
                Err(format!("still running after {} s\n--- output so far\n{output}", BLOCK_LIMIT.as_secs()))
            }
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
                Err(format!("the command failed ({status})\n--- output\n{output}"))
            }
        }
    }

    /// Moves the session into a new empty folder outside the book's clone, as a reader
    /// starts a project of their own; the folder is removed when the session ends.
    pub fn go_to_new_folder(&mut self, id: &str) -> Result<PathBuf, String> {
        let folder = std::env::temp_dir().join(format!("tasker-qs-{}-{id}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).map_err(|e| format!("creating {}: {e}", folder.display()))?;
        self.new_folders.push(folder.clone());
        self.go_to(id, &folder)?;
        self.run(&format!("{id}-unset"), &format!("unset {}", SUITE_ONLY_VARIABLES.join(" ")))?;
        Ok(folder)
    }

    /// Moves the session back to the book's clone, with the suite's own settings again.
    pub fn go_to_book_clone(&mut self, id: &str, clone: &Path) -> Result<(), String> {
        self.go_to(id, clone)?;
        for name in SUITE_ONLY_VARIABLES {
            if let Some(value) = std::env::var_os(name) {
                let assignment = format!("export {name}={}", shell_quote(&value.to_string_lossy()));
                self.run(&format!("{id}-{name}"), &assignment)?;
            }
        }
        Ok(())
    }

    /// Moves the session to `folder`.
    pub fn go_to(&mut self, id: &str, folder: &Path) -> Result<(), String> {
        self.run(&format!("{id}-cd"), &format!("cd {}", shell_quote(&folder.to_string_lossy())))
            .map(|_| ())
            .map_err(|why| format!("could not go to {}: {why}", folder.display()))
    }

    /// Saves `text` as `path`, relative to the session's current folder, as a reader saves
    /// a file the page shows (its folders made as needed).
    pub fn save_file(&mut self, id: &str, path: &str, text: &str) -> Result<(), String> {
        let source = self.dir.join(format!("{id}.file"));
        std::fs::write(&source, text).map_err(|e| e.to_string())?;
        let (source, path) = (shell_quote(&source.to_string_lossy()), shell_quote(path));
        self.run(
            &format!("{id}-save"),
            &format!("mkdir -p -- \"$(dirname -- {path})\" && cp -- {source} {path}"),
        )
        .map(|_| ())
    }

    /// Starts a server block in its own process group, with the session's environment and
    /// directory, and waits until it is ready.
    pub fn start_server(&mut self, id: &str, code: &str, ready: Readiness) -> Result<(), String> {
        let script = self.dir.join(format!("{id}.sh"));
        let log = self.dir.join(format!("{id}.log"));
        let pidfile = self.dir.join(format!("{id}.pid"));
        std::fs::write(&script, code).map_err(|e| e.to_string())?;
        let command = format!("setsid bash {script:?} >{log:?} 2>&1 </dev/null & echo $! >{pidfile:?}");
        self.send_and_wait(&command, &format!("__QS_STARTED_{id}__"), Duration::from_secs(10))
            .map_err(|_| "the shell did not start the server".to_string())?;
        let pid: u32 = std::fs::read_to_string(&pidfile)
            .ok()
            .and_then(|p| p.trim().parse().ok())
            .ok_or("the shell did not report the server's pid")?;
        self.servers.push((pid, id.to_string()));
        let (is_ready, waited_for): (Box<dyn Fn() -> bool>, String) = match ready {
            Readiness::Port(port) => {
                let url = format!("http://127.0.0.1:{port}/health");
                let check = url.clone();
                (
                    Box::new(move || matches!(http::get(&check, Duration::from_secs(1)), Ok((200, _)))),
                    format!("{url} answered 200"),
                )
            }
            // Ready once it has printed as many lines as the page shows; they must be those.
            Readiness::Prints(text) => {
                let lines = redact(text).trim_end().lines().count();
                let printed = log.clone();
                let check = move || {
                    let got = std::fs::read_to_string(&printed).unwrap_or_default();
                    got.lines().count() >= lines
                };
                (Box::new(check), format!("it printed what the page shows:\n{}", text.trim_end()))
            }
        };
        let deadline = Instant::now() + SERVER_LIMIT;
        loop {
            if is_ready() {
                return match ready {
                    Readiness::Prints(text) => printed_first(text, &log),
                    Readiness::Port(_) => Ok(()),
                };
            }
            let alive = is_alive(pid);
            if !alive || Instant::now() > deadline {
                let why = if alive {
                    format!("was still not ready after {} s", SERVER_LIMIT.as_secs())
                } else {
                    "exited".into()
                };
                return Err(format!(
                    "the server {why} before {waited_for}\n--- last lines of {}\n{}",
                    log.display(),
                    tail(&log, 40)
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the servers (TERM to each process group, KILL after 10 s) and the shell.
    pub fn stop(&mut self) {
        for (pid, id) in self.servers.drain(..).rev() {
            let t0 = Instant::now();
            stop_group(pid);
            // A server slow to stop slows its chapter as much as a slow block: both are shown.
            eprintln!("  stopped the server of {id} in {} ms", t0.elapsed().as_millis());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        for folder in self.new_folders.drain(..) {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// Whether the first lines the program logged are `text`; else the difference, as for an
/// output block.
fn printed_first(text: &str, log: &Path) -> Result<(), String> {
    let want = redact(text);
    let got = std::fs::read_to_string(log).unwrap_or_default();
    let head = redact(&got.lines().take(want.trim_end().lines().count()).collect::<Vec<_>>().join("\n"));
    if head.trim_end() == want.trim_end() {
        return Ok(());
    }
    Err(format!(
        "the program's first lines differ from what the page shows\n\
         --- diff (- shown in the book, + what it printed first; UUIDs, times and durations redacted)\n{}",
        diff(&want, &head)
    ))
}

/// `text` as one word for bash.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop();
    }
}

fn stop_group(pid: u32) {
    let group = format!("-{pid}");
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while is_alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
}

fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
