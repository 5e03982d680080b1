//! listings/stack/compose: the Compose file that runs Tasker from upstream's published
//! images. No Docker engine runs it here, so what can drift without one is checked: the
//! images are pinned and the server's is the version the book describes, the files it
//! mounts exist, and its configuration is what `tasker-ctl` generates from the book's
//! sources today.

use std::path::Path;
use std::process::Command;

use book_verification::versions::Versions;
use serde_yaml::Value;
use tasker_quickstarts::repo_root;

const FOLDER: &str = "listings/stack/compose";

fn compose() -> Value {
    let path = repo_root().join(FOLDER).join("compose.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_image_is_pinned_and_the_server_is_the_books_version() {
    let versions = Versions::load(&repo_root()).unwrap();
    let services = compose()["services"].as_mapping().expect("services").clone();
    for (name, service) in &services {
        let image = service["image"].as_str().unwrap_or_else(|| panic!("{name:?} has no image"));
        let (_, tag) = image.rsplit_once(':').unwrap_or_else(|| panic!("{image}: no tag"));
        assert!(
            tag != "latest" && tag.chars().any(|c| c.is_ascii_digit()),
            "{image}: not pinned to a version"
        );
    }
    let server = services[&Value::from("orchestration")]["image"].as_str().unwrap();
    assert_eq!(
        server,
        format!("ghcr.io/tasker-systems/tasker-orchestration:{}", versions.server()),
        "the orchestration image is not the server the book runs"
    );
}

#[test]
fn what_it_mounts_exists() {
    let services = compose()["services"].as_mapping().unwrap().clone();
    for (name, service) in &services {
        for volume in service["volumes"].as_sequence().into_iter().flatten() {
            let source = volume.as_str().unwrap().split(':').next().unwrap();
            if source.starts_with('.') {
                let path = repo_root().join(FOLDER).join(source);
                assert!(path.exists(), "{name:?} mounts {source}, which is missing ({})", path.display());
            }
        }
    }
}

/// The generated file without the two header lines that change on every run.
fn without_run_details(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("# Generated: ") && !l.starts_with("# Source: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn its_configuration_is_what_tasker_ctl_generates_from_the_books_sources() {
    let out_dir = std::env::temp_dir().join(format!("qs-compose-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let generated = out_dir.join("orchestration.toml");
    let run = Command::new("tasker-ctl")
        .current_dir(repo_root())
        .args(["config", "generate", "-c", "orchestration", "-e", "development"])
        .args(["-s", "listings/stack/config", "-o"])
        .arg(&generated)
        .output()
        .expect("running tasker-ctl (scripts/stack up installs it)");
    assert!(
        run.status.success(),
        "tasker-ctl config generate failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let fresh = without_run_details(&std::fs::read_to_string(&generated).unwrap());
    std::fs::remove_dir_all(&out_dir).unwrap();
    let committed_path = Path::new(FOLDER).join("orchestration.toml");
    let committed = std::fs::read_to_string(repo_root().join(&committed_path)).unwrap();
    if fresh != committed {
        let diff = similar::TextDiff::from_lines(&committed, &fresh);
        panic!(
            "{} is not what tasker-ctl generates from listings/stack/config (- committed, + generated); \
             regenerate it without its `# Generated:` and `# Source:` lines:\n{}",
            committed_path.display(),
            diff.unified_diff().context_radius(2)
        );
    }
}
