//! Where things are, found at run time: a test binary may have been built by another
//! checkout that shares the build cache, so nothing here comes from compile-time paths.

use std::path::{Path, PathBuf};

/// The repository: the nearest directory above the current one holding book.toml. Cargo
/// runs tests from their package's directory, which is inside it.
pub fn repo_root() -> PathBuf {
    let cwd = std::env::current_dir().expect("the current directory");
    cwd.ancestors().find(|d| d.join("book.toml").is_file()).map(Path::to_path_buf).unwrap_or_else(|| {
        panic!("{} is not inside the book's repository (no book.toml above it)", cwd.display())
    })
}

/// Runtime state of this checkout (TASKER_QS_STATE, default `.state/`).
pub fn state_dir() -> PathBuf {
    std::env::var_os("TASKER_QS_STATE").map(PathBuf::from).unwrap_or_else(|| repo_root().join(".state"))
}

/// Where tests write the evidence for the verification report (QS_RESULTS_DIR, default
/// `<state>/report/results`).
pub fn results_dir() -> PathBuf {
    std::env::var_os("QS_RESULTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| state_dir().join("report/results"))
}

/// A binary of the workspace, in this checkout's target dir (CARGO_TARGET_DIR, as the
/// scripts set it, or `target/`).
pub fn target_binary(name: &str) -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    target.join("debug").join(name)
}
