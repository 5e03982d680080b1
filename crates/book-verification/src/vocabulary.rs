//! The words the book uses for its guarantees, from `vocabulary.toml`: badge labels, the
//! checkers, the reasons a block is not run, and the suites that prove `tested` blocks.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    kinds: BTreeMap<String, Label>,
    checkers: BTreeMap<String, CheckerEntry>,
    reasons: BTreeMap<String, Reason>,
    requirements: BTreeMap<String, Requirement>,
    suites: BTreeMap<String, Suite>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub label: String,
    pub detail: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckerEntry {
    label: String,
    detail: String,
    languages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub text: String,
}

/// Something a `needs-<requirement>` block must have installed to run.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// What it is, for the badge and the "About this book" page.
    pub what: String,
    /// What a block that needs it lacked, in the reader's terms: on the badges of the
    /// blocks it stops.
    pub missing: String,
    /// How the suite gets it, for whoever runs the suite without it.
    pub install: String,
    /// A file (relative to the repository) that exists exactly when it is installed.
    pub installed_when: String,
    /// The badge of the shell blocks that ran with it (from the first block that needs it
    /// to the chapter's end), where it is not what readers install and the badge must say
    /// what ran instead.
    #[serde(default)]
    pub badge: Option<Label>,
    /// What the suite runs in the place of a reader's install command that this machine's
    /// registries cannot serve (`stand-in-<requirement>` blocks): the same package, from
    /// where the suite has it.
    #[serde(default)]
    pub stand_in: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    pub what: String,
    pub covers: Vec<String>,
    /// The badge of the `tested` blocks this suite proves, where the kind's own words
    /// would claim too much or too little (the Rails specs run on an older Rails).
    #[serde(default)]
    pub badge: Option<Label>,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    Vocabulary::parse(include_str!("../vocabulary.toml"))
        .unwrap_or_else(|e| panic!("crates/book-verification/vocabulary.toml: {e}"))
});

impl Vocabulary {
    /// The book's vocabulary, embedded at compile time.
    pub fn get() -> &'static Vocabulary {
        &VOCABULARY
    }

    /// Parses the TOML. That it names every kind and checker of the fence grammar, and no
    /// other, is the grammar's to check (fence::check_vocabulary, run by its unit tests),
    /// so that this module knows nothing of the grammar.
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    pub fn kind_keys(&self) -> impl Iterator<Item = &str> {
        self.kinds.keys().map(String::as_str)
    }

    pub fn checker_words(&self) -> impl Iterator<Item = &str> {
        self.checkers.keys().map(String::as_str)
    }

    /// Label and detail of a kind without a checker or reason (`run`, `output`, …).
    pub fn kind(&self, key: &str) -> &Label {
        &self.kinds[key]
    }

    /// Label and detail of the checker named `word` (`tsc`, `ruby`).
    pub fn checker_label(&self, word: &str) -> (&str, &str) {
        let c = &self.checkers[word];
        (&c.label, &c.detail)
    }

    pub fn checker_languages(&self, word: &str) -> &[String] {
        &self.checkers[word].languages
    }

    pub fn reason(&self, key: &str) -> Option<&str> {
        self.reasons.get(key).map(|r| r.text.as_str())
    }

    pub fn reason_keys(&self) -> impl Iterator<Item = &str> {
        self.reasons.keys().map(String::as_str)
    }

    pub fn requirement(&self, key: &str) -> Option<&Requirement> {
        self.requirements.get(key)
    }

    pub fn requirement_keys(&self) -> impl Iterator<Item = &str> {
        self.requirements.keys().map(String::as_str)
    }

    pub fn suite(&self, name: &str) -> Option<&Suite> {
        self.suites.get(name)
    }

    pub fn suite_names(&self) -> impl Iterator<Item = &str> {
        self.suites.keys().map(String::as_str)
    }

    /// The suite whose `covers` patterns match a listing file (relative to the repository).
    pub fn suite_covering(&self, file: &str) -> Option<&str> {
        self.suites
            .iter()
            .find(|(_, s)| s.covers.iter().any(|p| pattern_matches(p, file)))
            .map(|(name, _)| name.as_str())
    }
}

/// `dir/**` matches everything under `dir/`; anything else must match exactly.
fn pattern_matches(pattern: &str, file: &str) -> bool {
    match pattern.strip_suffix("/**") {
        Some(dir) => file.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/')),
        None => pattern == file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_vocabulary_parses_and_names_reasons() {
        let v = Vocabulary::get();
        assert_eq!(v.checker_label("tsc").0, "checked with tsc");
        assert!(v.reason("npm").is_some());
        assert!(v.requirement("ts-worker").is_some());
    }

    #[test]
    fn suites_cover_directories_and_single_files() {
        let v = Vocabulary::get();
        assert_eq!(v.suite_covering("listings/axum/src/orders.rs"), Some("axum"));
        assert_eq!(v.suite_covering("listings/bun/src/app.ts"), Some("bun"));
        assert_eq!(v.suite_covering("listings/bun/src/handlers/ecommerce.ts"), Some("bun-worker"));
        assert_eq!(v.suite_covering("listings/bun/tests/app.test.ts"), None);
        assert_eq!(v.suite_covering("listings/axumx/src/lib.rs"), None);
    }
}
