//! Paths as the book names them: relative to the repository, `/`-separated.

use std::path::{Component, Path};

/// `a/b/../c` → `a/c`, as a `/`-separated string.
pub fn normalize(path: &Path) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(p) => parts.push(p.to_str().unwrap_or("")),
            _ => {}
        }
    }
    parts.join("/")
}
