//! The drift check: proof that the suite notices when the book and the software part ways.
//!
//! Copies the repository, proves every test named by a case passes on the unmodified copy
//! (the baseline), then seeds each case's mistake in turn, runs its test, and puts the file
//! back. A case is caught only when its test fails printing the case's `expect` fragment.
//! Run it through `scripts/drift-check`, which prepares the stack and the tools first.
//!
//!   drift-check [--list] [--only NAME] [--keep]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use book_verification::drift::{Case, Cases, TestTarget, Verdict, judge, seed};
use book_verification::leftovers;
use book_verification::report::DriftResult;

const CASES_FILE: &str = "tests/drift-cases.toml";

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("drift-check: {e}");
            ExitCode::from(2)
        }
    }
}

struct Options {
    list: bool,
    only: Option<String>,
    keep: bool,
    /// The caller (scripts/test) has just run every suite on this tree and all passed, so
    /// the baseline would only repeat them. A case whose test fails in the copy for some
    /// other reason still shows: without its `expect` text in the output it is BROKEN.
    suite_passed: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options { list: false, only: None, keep: false, suite_passed: false };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--list" => o.list = true,
            "--keep" => o.keep = true,
            "--suite-passed" => o.suite_passed = true,
            "--only" => o.only = Some(args.next().ok_or("--only needs a case name")?),
            other => {
                return Err(format!(
                    "unknown argument `{other}` (--list, --only NAME, --keep, --suite-passed)"
                ));
            }
        }
    }
    Ok(o)
}

fn run() -> Result<bool, String> {
    let options = options()?;
    let root = std::env::current_dir()
        .map_err(|e| e.to_string())?
        .ancestors()
        .find(|d| d.join("book.toml").is_file())
        .map(Path::to_path_buf)
        .ok_or("run it inside the book's repository")?;
    let text = std::fs::read_to_string(root.join(CASES_FILE)).map_err(|e| format!("{CASES_FILE}: {e}"))?;
    let mut cases = Cases::parse(&text).map_err(|e| format!("{CASES_FILE}: {e}"))?.cases;
    if let Some(only) = &options.only {
        cases.retain(|c| &c.name == only);
        if cases.is_empty() {
            return Err(format!("no case named `{only}`"));
        }
    }
    if options.list {
        for c in &cases {
            println!("{:<46} {:<52} {}", c.name, c.file, c.test);
        }
        return Ok(true);
    }

    let copy = Copy::create(&root)?;
    println!("copy of the repository: {}", copy.dir.display());
    let started = Instant::now();

    // Baseline: a test that already fails on the unmodified copy would "catch" anything.
    // Cases whose test needs what this machine lacks are not run, and say why.
    let (cases, unrunnable): (Vec<&Case>, Vec<&Case>) =
        cases.iter().partition(|c| c.not_runnable_under(&root).is_none());
    for case in &unrunnable {
        println!("  not run {:<46} {}", case.name, case.not_runnable_under(&root).unwrap_or_default());
    }
    let targets: BTreeSet<&TestTarget> = cases.iter().map(|c| &c.test).collect();
    if options.suite_passed {
        println!("baseline: the suite that just ran on this tree passed every test used below");
    } else {
        println!("baseline: every test used below passes on the unmodified copy");
    }
    for target in targets.into_iter().filter(|_| !options.suite_passed) {
        let t0 = Instant::now();
        let (passed, output) = copy.run(target);
        if !passed {
            let tail: Vec<&str> = output.lines().rev().take(30).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            copy.finish(options.keep);
            return Err(format!(
                "baseline failed: `{target}` fails on the unmodified copy:\n{}",
                tail.join("\n")
            ));
        }
        println!("  ok      {target:<46} {:>6} ms", t0.elapsed().as_millis());
    }

    let mut caught = 0;
    let mut problems = 0;
    let mut broken = 0;
    for case in &cases {
        let t0 = Instant::now();
        let verdict = copy.try_case(case);
        let ms = t0.elapsed().as_millis();
        match verdict {
            Verdict::Caught => {
                caught += 1;
                println!("  caught  {:<46} {ms:>6} ms  by {}", case.name, case.test);
            }
            Verdict::Missed => {
                problems += 1;
                println!("  MISSED  {:<46} {ms:>6} ms  ({} passed)", case.name, case.test);
            }
            Verdict::Broken(why) => {
                problems += 1;
                broken += 1;
                println!("  BROKEN  {:<46} {ms:>6} ms  {why}", case.name);
            }
        }
    }
    copy.finish(options.keep);
    println!("caught {caught}/{} in {} s", cases.len(), started.elapsed().as_secs());
    if options.only.is_none() {
        // For the verification report (QS_RESULTS_DIR, which scripts/test sets).
        if let Some(dir) = std::env::var_os("QS_RESULTS_DIR") {
            let result = DriftResult { caught, total: cases.len(), broken };
            result.write(Path::new(&dir)).map_err(|e| format!("writing the drift result: {e}"))?;
        }
    }
    Ok(problems == 0)
}

/// A copy of the repository that shares this checkout's running stack and installed
/// dependencies, with a target dir of its own (Cargo's build dir, where the expensive
/// dependency builds live, is shared through the environment).
struct Copy {
    dir: PathBuf,
    /// The copy's build of tests/book.rs (for `chapter:` tests).
    book_tests: PathBuf,
    /// The value of RUN_MARKER in every test's environment: what finds what it left.
    marker: String,
}

/// The environment variable that marks the processes of this drift check's tests.
const RUN_MARKER: &str = "QS_DRIFT_RUN";
/// How an output line names a process its test left running.
const LEFT_RUNNING: &str = "drift-check: the test left running";

impl Copy {
    fn create(root: &Path) -> Result<Copy, String> {
        let state = std::env::var_os("TASKER_QS_STATE")
            .map(PathBuf::from)
            .ok_or("TASKER_QS_STATE is not set: run it through scripts/drift-check")?;
        let cache =
            std::env::var_os("TASKER_QS_CACHE").map(PathBuf::from).ok_or("TASKER_QS_CACHE is not set")?;
        let dir = cache.join("drift").join(format!("copy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        // Tracked and untracked-but-not-ignored files, with their times: cargo then sees the
        // same sources it built for this checkout, and rebuilds only what a case changes.
        // A git repository of its own, so that what reads `git ls-files` sees the same files.
        let status = Command::new("bash")
            .arg("-c")
            .arg(
                "git ls-files -co --exclude-standard -z | xargs -0 cp -p --parents -t \"$1\" && cd \"$1\" && \
                 git init -q && git add -A && \
                 git -c user.name=drift-check -c user.email=drift-check@localhost commit -q -m copy",
            )
            .arg("copy")
            .arg(&dir)
            .current_dir(root)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("copying the repository failed".into());
        }
        let link = |target: &Path, at: &str| {
            std::os::unix::fs::symlink(target, dir.join(at)).map_err(|e| format!("linking {at}: {e}"))
        };
        link(&state, ".state")?;
        link(&state.join("bun/node_modules"), "listings/bun/node_modules")?;
        // The Ruby 3.1 build of tasker-rb, where this checkout has it (scripts/lib.sh).
        if let Ok(bundle) = std::fs::read_link(root.join("listings/rails/vendor/tasker-rb")) {
            std::fs::create_dir_all(dir.join("listings/rails/vendor")).map_err(|e| e.to_string())?;
            link(&bundle, "listings/rails/vendor/tasker-rb")?;
        }
        let marker = format!("drift-{}", std::process::id());
        let mut copy = Copy { dir, book_tests: PathBuf::new(), marker };
        copy.book_tests = copy.build_book_tests()?;
        Ok(copy)
    }

    /// Builds the copy's test crate and returns the path of its book test binary.
    fn build_book_tests(&self) -> Result<PathBuf, String> {
        let out = self
            .command("cargo")
            .args([
                "test",
                "--workspace",
                "--test",
                "book",
                "--no-run",
                "--message-format=json-render-diagnostics",
            ])
            .output()
            .map_err(|e| e.to_string())?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "building the copy's tests failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|m| m["target"]["name"] == "book" && m["executable"].is_string())
            .and_then(|m| m["executable"].as_str().map(PathBuf::from))
            .ok_or_else(|| "cargo did not report the book test binary".to_string())
    }

    /// A command in the copy, with the environment its tests need.
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            // The copy reaches this checkout's state through its own `.state` link, so that
            // paths print as they do in a checkout of its own.
            .env_remove("TASKER_QS_STATE")
            // Cargo's file times are right inside the copy: scripts must not touch its files.
            .env("QS_IN_DRIFT_COPY", "1")
            // The copy's tests write their evidence here, not into this checkout's report.
            .env("QS_RESULTS_DIR", self.dir.join("results"))
            .env("QS_BOOK_TESTS", &self.book_tests)
            .env(RUN_MARKER, &self.marker)
            .stdin(Stdio::null());
        cmd
    }

    /// Runs a test in the copy; returns (passed, combined output). A test that leaves a
    /// process running (a server its failure never stopped) has not passed, whatever it
    /// printed: the process is ended, and named in the output.
    fn run(&self, target: &TestTarget) -> (bool, String) {
        let output = self.command("bash").arg("-c").arg(format!("{} 2>&1", target.command())).output();
        let (passed, mut text) = match output {
            Ok(o) => (o.status.success(), String::from_utf8_lossy(&o.stdout).into_owned()),
            Err(e) => (false, format!("could not start bash: {e}")),
        };
        let left = leftovers::still_running_after(RUN_MARKER, &self.marker, Duration::from_secs(3));
        if left.is_empty() {
            return (passed, text);
        }
        leftovers::end(&left, Duration::from_secs(5));
        for l in &left {
            text.push_str(&format!("\n{LEFT_RUNNING} pid {}: {}", l.pid, l.command));
        }
        (false, text)
    }

    fn try_case(&self, case: &Case) -> Verdict {
        let path = self.dir.join(&case.file);
        let Ok(original) = std::fs::read_to_string(&path) else {
            return Verdict::Broken(format!("no file {}", case.file));
        };
        let seeded = match seed(case, &original) {
            Ok(s) => s,
            Err(e) => return Verdict::Broken(e),
        };
        if let Err(e) = std::fs::write(&path, seeded) {
            return Verdict::Broken(format!("writing {}: {e}", case.file));
        }
        let (passed, output) = self.run(&case.test);
        // Written back (not renamed back) so the file is newer than anything built from the
        // mistake, and the next build compiles the original again.
        if let Err(e) = std::fs::write(&path, original) {
            return Verdict::Broken(format!("restoring {}: {e}", case.file));
        }
        // A test may write tracked files from the mistake (the scaffold chapter regenerates
        // code from the plugins): the next case must start from the unmodified copy.
        let restored = self.command("git").args(["checkout", "-q", "--", "."]).status();
        if !restored.is_ok_and(|s| s.success()) {
            return Verdict::Broken("git checkout could not restore the copy's files".into());
        }
        // A test that failed as expected but left a server running is a bug of its own.
        if let Some(line) = output.lines().find(|l| l.starts_with(LEFT_RUNNING)) {
            return Verdict::Broken(line.to_string());
        }
        judge(case, passed, &output)
    }

    /// Rebuilds the restored copy, so the shared build dir holds what the original sources
    /// compile to, then removes the copy.
    fn finish(&self, keep: bool) {
        let rebuilt = self
            .command("cargo")
            .args(["build", "-q", "--workspace", "--all-targets"])
            .status()
            .is_ok_and(|s| s.success());
        if !rebuilt {
            eprintln!(
                "drift-check: rebuilding the restored copy failed; the next scripts/test rebuilds this checkout"
            );
        }
        if keep {
            println!("kept {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        if !rebuilt {
            std::process::exit(3);
        }
    }
}
