//! `src/scaffold.rs` is exactly what tasker-ctl 0.1.8 generates for the e-commerce template,
//! so the crate compiling it proves that the generator's Rust output compiles.

use std::process::Command;

#[test]
fn the_committed_scaffold_is_what_tasker_ctl_generates() {
    // Cargo runs integration tests from the package's directory (found at run time, so the
    // test binary works for whichever checkout runs it).
    let dir = std::env::current_dir().unwrap().display().to_string();
    let out = std::env::temp_dir().join(format!("scaffold-{}.rs", std::process::id()));
    let status = Command::new("tasker-ctl")
        .args(["generate", "handler", "-l", "rust", "-t"])
        .arg(format!("{dir}/templates/ecommerce_order_processing.yaml"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("tasker-ctl is not on PATH: run the tests through scripts/test (it installs tasker-ctl)");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let generated = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let committed = std::fs::read_to_string(format!("{dir}/src/scaffold.rs")).unwrap();
    assert_eq!(
        committed, generated,
        "tasker-ctl now generates something else: regenerate src/scaffold.rs"
    );
}
