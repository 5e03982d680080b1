//! Where the repository pins a Tasker package: manifests, lock files, install lines and the
//! prose that names a version. One list of patterns serves both the check that every pin
//! follows `[workspace.metadata.tasker]` (tests/versions.rs) and the upgrade radar, which
//! moves every pin of a language at once in a scratch copy (scripts/upgrade-check).

use std::path::Path;
use std::process::Command;
use std::sync::LazyLock;

use regex::Regex;

use crate::versions::Language;

/// Which files a pattern reads.
#[derive(Clone, Copy)]
enum Scope {
    Everywhere,
    /// Cargo manifests: the `tasker-x = "…"` dependency lines.
    CargoManifests,
    /// The workspace's Cargo.toml: the version map.
    WorkspaceManifest,
    /// Markdown: the chapters and the README, where a version in a sentence is a claim too.
    Prose,
}

impl Scope {
    fn covers(self, file: &str) -> bool {
        match self {
            Scope::Everywhere => true,
            Scope::CargoManifests => file == "Cargo.toml" || file.ends_with("/Cargo.toml"),
            Scope::WorkspaceManifest => file == "Cargo.toml",
            Scope::Prose => file.ends_with(".md"),
        }
    }
}

/// One pattern: the version is its first capture group.
struct Pattern {
    language: Language,
    regex: Regex,
    scope: Scope,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |language, regex: &str, scope| Pattern { language, regex: Regex::new(regex).unwrap(), scope };
    use Scope::{CargoManifests, Everywhere, Prose, WorkspaceManifest};
    vec![
        p(
            Language::Rust,
            r#"(?m)^tasker-[a-z-]+\s*=\s*(?:\{[^}\n]*version\s*=\s*)?"=?([0-9][^"]*)""#,
            CargoManifests,
        ),
        p(Language::Python, r"tasker-py==([0-9][0-9A-Za-z.+-]*)", Everywhere),
        p(Language::TypeScript, r#"@tasker-systems/tasker@([0-9][0-9A-Za-z.+-]*)"#, Everywhere),
        p(Language::TypeScript, r#""@tasker-systems/tasker"\s*:\s*"[~^]?([0-9][^"]*)""#, Everywhere),
        p(Language::Ruby, r#"gem ['"]tasker-rb['"],\s*['"][~>= ]*([0-9][^'"]*)['"]"#, Everywhere),
        // The version map itself.
        p(Language::Rust, r#"(?m)^rust\s*=\s*"([0-9][^"]*)""#, WorkspaceManifest),
        p(Language::Python, r#"(?m)^python\s*=\s*"([0-9][^"]*)""#, WorkspaceManifest),
        p(Language::TypeScript, r#"(?m)^typescript\s*=\s*"([0-9][^"]*)""#, WorkspaceManifest),
        p(Language::Ruby, r#"(?m)^ruby\s*=\s*"([0-9][^"]*)""#, WorkspaceManifest),
        // Prose in chapters and the README: `tasker-py` 0.1.8, `tasker-rb` **0.1.10** …
        p(
            Language::Rust,
            r"`(?:crate )?tasker-(?:orchestration|shared|worker)`\s+\**([0-9]+\.[0-9]+\.[0-9]+)",
            Everywhere,
        ),
        p(Language::Python, r"`tasker-py`\s+\**([0-9]+\.[0-9]+\.[0-9]+)", Everywhere),
        p(Language::TypeScript, r"`@tasker-systems/tasker`\s+\**([0-9]+\.[0-9]+\.[0-9]+)", Everywhere),
        p(Language::Ruby, r"`tasker-rb`\s+\**([0-9]+\.[0-9]+\.[0-9]+)", Everywhere),
        // Links pinned to a release (src/external_links.rs holds them to it): a package's
        // page or API docs, upstream's source at a tag.
        p(Language::Rust, r"(?:crates\.io/crates|docs\.rs)/tasker-[a-z-]+/([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        p(Language::Rust, r"tasker-core/(?:blob|tree)/v([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        p(Language::Python, r"pypi\.org/project/tasker-py/([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        p(Language::TypeScript, r"@tasker-systems/tasker/v/([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        p(Language::TypeScript, r"tasker-core/(?:blob|tree)/typescript-v([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        p(Language::Ruby, r"rubygems\.org/gems/tasker-rb/versions/([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        p(Language::Ruby, r"tasker-core/(?:blob|tree)/ruby-v([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        // The server's version in a sentence: "Tasker 0.1.8", "Tasker **0.1.8**", "a 0.1.8 server".
        p(Language::Rust, r"\bTasker(?:\s+server)?\s+\**([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        p(Language::Rust, r"`tasker-ctl`\s+\**([0-9]+\.[0-9]+\.[0-9]+)", Prose),
        p(Language::Rust, r"\b([0-9]+\.[0-9]+\.[0-9]+)\**\s+(?:orchestration\s+)?server\b", Prose),
    ]
});

/// Files that mention versions without pinning them this way: lock files follow their
/// manifests, the drift check's cases describe wrong pins on purpose, and this file's tests
/// are examples.
fn skipped(file: &str) -> bool {
    file.ends_with("Cargo.lock")
        || file.ends_with("bun.lock")
        || file == "tests/drift-cases.toml"
        || file == "crates/book-verification/src/pins.rs"
}

/// A pin found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pin {
    pub language: Language,
    /// Relative to the repository.
    pub file: String,
    pub line: usize,
    pub version: String,
    /// Byte range of the version in the file.
    span: (usize, usize),
}

/// Every pin in `text`, the contents of `file`.
pub fn pins_in(file: &str, text: &str) -> Vec<Pin> {
    if skipped(file) {
        return Vec::new();
    }
    let mut pins = Vec::new();
    for pattern in PATTERNS.iter() {
        if !pattern.scope.covers(file) {
            continue;
        }
        for captures in pattern.regex.captures_iter(text) {
            let version = captures.get(1).expect("every pattern captures the version");
            let line = text[..version.start()].matches('\n').count() + 1;
            pins.push(Pin {
                language: pattern.language,
                file: file.to_string(),
                line,
                version: version.as_str().to_string(),
                span: (version.start(), version.end()),
            });
        }
    }
    pins.sort_by_key(|p| p.span);
    pins
}

/// The repository's tracked and untracked (not ignored) files.
pub fn repository_files(root: &Path) -> Result<Vec<String>, String> {
    let out = Command::new("git")
        .args(["ls-files", "-co", "--exclude-standard"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git ls-files: {e}"))?;
    if !out.status.success() {
        return Err(format!("git ls-files in {}: {}", root.display(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect())
}

/// Every pin in the repository at `root`.
pub fn find_pins(root: &Path) -> Result<Vec<Pin>, String> {
    let mut pins = Vec::new();
    for file in repository_files(root)? {
        // Binary and unreadable files pin nothing.
        if let Ok(text) = std::fs::read_to_string(root.join(&file)) {
            pins.extend(pins_in(&file, &text));
        }
    }
    Ok(pins)
}

/// `text` with every pin of `language` set to `version`.
pub fn set_in(file: &str, text: &str, language: Language, version: &str) -> String {
    let mut out = text.to_string();
    // From the end, so earlier spans stay valid.
    for pin in pins_in(file, text).iter().rev().filter(|p| p.language == language) {
        out.replace_range(pin.span.0..pin.span.1, version);
    }
    out
}

/// Moves every pin of `language` in the repository at `root` to `version`; returns the
/// files it changed.
pub fn set_pins(root: &Path, language: Language, version: &str) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for file in repository_files(root)? {
        let path = root.join(&file);
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let new = set_in(&file, &text, language, version);
        if new != text {
            std::fs::write(&path, new).map_err(|e| format!("writing {file}: {e}"))?;
            changed.push(file);
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cargo_dependency_with_its_line() {
        let pins = pins_in("listings/axum/Cargo.toml", "[dependencies]\ntasker-worker = \"=0.1.8\"\n");
        assert_eq!(pins.len(), 1);
        assert_eq!((pins[0].language, pins[0].line, pins[0].version.as_str()), (Language::Rust, 2, "0.1.8"));
    }

    #[test]
    fn cargo_lines_count_only_in_cargo_manifests() {
        assert!(pins_in("src/stack.md", "tasker-worker = \"=0.1.8\"").is_empty());
        assert!(pins_in("listings/axum/Cargo.toml", "[x]\npython = \"0.1.8\"").is_empty());
    }

    #[test]
    fn finds_pins_of_every_language() {
        let text = "pip install tasker-py==0.1.8\nbun add @tasker-systems/tasker@0.1.10\n\
                    gem 'tasker-rb', '~> 0.1.10'\n\"@tasker-systems/tasker\": \"^0.1.10\"";
        let languages: Vec<Language> = pins_in("README.md", text).iter().map(|p| p.language).collect();
        assert_eq!(languages, [Language::Python, Language::TypeScript, Language::Ruby, Language::TypeScript]);
    }

    #[test]
    fn finds_versions_named_in_prose() {
        let pins = pins_in("src/quickstart/rails.md", "uses `tasker-rb` **0.1.10** and `tasker-py` 0.1.8");
        assert_eq!(pins.iter().map(|p| p.version.as_str()).collect::<Vec<_>>(), ["0.1.10", "0.1.8"]);
    }

    #[test]
    fn finds_the_server_version_in_sentences_of_markdown_only() {
        let text = "against Tasker **0.1.8**, for a 0.1.8 server; Tasker 0.1.9 can answer 500";
        let pins = pins_in("src/toward-production.md", text);
        let found: Vec<(Language, &str)> = pins.iter().map(|p| (p.language, p.version.as_str())).collect();
        assert_eq!(found, [(Language::Rust, "0.1.8"), (Language::Rust, "0.1.8"), (Language::Rust, "0.1.9")]);
        assert!(pins_in("crates/book-verification/src/render.rs", text).is_empty(), "test data is not prose");
    }

    #[test]
    fn reads_the_version_map() {
        let text = "[workspace.metadata.tasker]\nrust = \"0.1.8\"\npython = \"0.1.8\"\n";
        let pins = pins_in("Cargo.toml", text);
        assert_eq!(pins.iter().map(|p| p.language).collect::<Vec<_>>(), [Language::Rust, Language::Python]);
    }

    #[test]
    fn lock_files_and_drift_cases_are_skipped() {
        assert!(pins_in("Cargo.lock", "tasker-py==0.1.8").is_empty());
        assert!(pins_in("tests/drift-cases.toml", "tasker-py==0.1.9").is_empty());
    }

    #[test]
    fn setting_moves_one_language_and_leaves_the_others() {
        let text = "tasker-py==0.1.8 and @tasker-systems/tasker@0.1.10, again tasker-py==0.1.8";
        assert_eq!(
            set_in("README.md", text, Language::Python, "0.2.0"),
            "tasker-py==0.2.0 and @tasker-systems/tasker@0.1.10, again tasker-py==0.2.0"
        );
    }

    #[test]
    fn setting_keeps_the_cargo_requirement_operator() {
        let text = "tasker-shared = { version = \"=0.1.8\", features = [\"x\"] }\n";
        assert_eq!(
            set_in("Cargo.toml", text, Language::Rust, "0.1.9"),
            "tasker-shared = { version = \"=0.1.9\", features = [\"x\"] }\n"
        );
    }
}
