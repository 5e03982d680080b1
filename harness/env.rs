//! The environment a chapter's commands see.

use std::process::Command;

/// Removes what `cargo test` adds to a test's environment (CARGO_PKG_*, OUT_DIR,
/// LD_LIBRARY_PATH, RUSTUP_TOOLCHAIN, …), so commands run from a test see the environment
/// of the shell that started the suite, as a reader's would. It matters beyond fidelity:
/// tasker-shared records OUT_DIR as an environment dependency, so a nested `cargo build`
/// that inherits the test's OUT_DIR recompiles Tasker (minutes) and flips the shared cache.
pub fn reader_env(cmd: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        let kept = matches!(k.as_ref(), "CARGO_TARGET_DIR" | "CARGO_BUILD_BUILD_DIR" | "CARGO_HOME");
        let injected = (k.starts_with("CARGO_") && !kept)
            || matches!(
                k.as_ref(),
                "CARGO"
                    | "OUT_DIR"
                    | "LD_LIBRARY_PATH"
                    | "RUSTUP_TOOLCHAIN"
                    | "RUSTUP_TOOLCHAIN_SOURCE"
                    | "RUST_RECURSION_COUNT"
            );
        if injected {
            cmd.env_remove(&key);
        }
    }
    cmd
}
