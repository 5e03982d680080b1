//! The Tasker packages the book targets, one version per language, from the one place they
//! live: `[workspace.metadata.tasker]` in the workspace's Cargo.toml.

use std::fmt;
use std::path::Path;

use serde::Deserialize;

/// A language Tasker ships a worker package for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Language {
    /// The crates: orchestration server, shared types, Rust worker.
    Rust,
    Python,
    TypeScript,
    Ruby,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::Rust, Language::Python, Language::TypeScript, Language::Ruby];

    /// The key in `[workspace.metadata.tasker]`.
    pub fn key(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::Python => "python",
            Language::TypeScript => "typescript",
            Language::Ruby => "ruby",
        }
    }

    /// The package (or packages) of that language, as its registry names them.
    pub fn packages(self) -> &'static [&'static str] {
        match self {
            Language::Rust => &["tasker-orchestration", "tasker-shared", "tasker-worker"],
            Language::Python => &["tasker-py"],
            Language::TypeScript => &["@tasker-systems/tasker"],
            Language::Ruby => &["tasker-rb"],
        }
    }

    pub fn registry(self) -> &'static str {
        match self {
            Language::Rust => "crates.io",
            Language::Python => "PyPI",
            Language::TypeScript => "npm",
            Language::Ruby => "RubyGems",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Versions {
    pub rust: String,
    pub python: String,
    pub typescript: String,
    pub ruby: String,
}

#[derive(Deserialize)]
struct Manifest {
    workspace: Workspace,
}

#[derive(Deserialize)]
struct Workspace {
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    tasker: Versions,
}

impl Versions {
    /// Reads `[workspace.metadata.tasker]` from `root/Cargo.toml`.
    pub fn load(root: &Path) -> Result<Versions, String> {
        let path = root.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Versions::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(manifest: &str) -> Result<Versions, String> {
        let manifest: Manifest =
            toml::from_str(manifest).map_err(|e| format!("[workspace.metadata.tasker]: {e}"))?;
        Ok(manifest.workspace.metadata.tasker)
    }

    pub fn of(&self, language: Language) -> &str {
        match language {
            Language::Rust => &self.rust,
            Language::Python => &self.python,
            Language::TypeScript => &self.typescript,
            Language::Ruby => &self.ruby,
        }
    }

    /// The server's version: what "verified against Tasker X" means.
    pub fn server(&self) -> &str {
        &self.rust
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_map_from_a_manifest() {
        let manifest = "[workspace]\nmembers = []\n[workspace.metadata.tasker]\nrust = \"0.1.8\"\npython = \"0.1.8\"\ntypescript = \"0.1.10\"\nruby = \"0.1.10\"\n";
        let v = Versions::parse(manifest).unwrap();
        assert_eq!(v.of(Language::TypeScript), "0.1.10");
        assert_eq!(v.server(), "0.1.8");
    }

    #[test]
    fn a_missing_language_is_named() {
        let manifest =
            "[workspace.metadata.tasker]\nrust = \"0.1.8\"\npython = \"0.1.8\"\nruby = \"0.1.10\"\n";
        let err = Versions::parse(manifest).unwrap_err();
        assert!(err.contains("typescript"), "{err}");
    }
}
