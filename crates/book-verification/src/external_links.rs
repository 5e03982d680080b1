//! Links that leave the book. They cannot be fetched where the book is tested, so what is
//! checked is what can drift without a fetch: each is a well-formed `https` address, and one
//! to versioned material (a repository's files, a package's page or API docs) names the tag
//! or version it was read at. The book describes Tasker 0.1.8; a link to `main` would go on
//! describing whatever upstream writes next.

use std::sync::LazyLock;

use regex::Regex;

/// A version or a tag as registries and tasker-core write them: `0.1.8`, `v0.1.8`,
/// `ruby-v0.1.10`, `0.8` (docs.rs takes a partial version), or a full commit hash.
static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-z-]*v?\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?|[0-9a-f]{40})$").unwrap()
});

/// Hosts of projects that publish one current site, with no versions in its addresses (a
/// framework's home page). A link there cannot be pinned, so it is accepted as it is.
const UNVERSIONED_SITES: &[&str] =
    &["bun.sh", "hono.dev", "zod.dev", "fastapi.tiangolo.com", "keats.github.io"];

/// Why `href` is not an acceptable link out of the book, or `Ok` when it is.
pub fn check(href: &str) -> Result<(), String> {
    let Some(rest) = href.strip_prefix("https://") else {
        return if is_local(href) { Ok(()) } else { Err("not an https:// address".into()) };
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || !host.contains('.') || host.contains(char::is_whitespace) {
        return Err(format!("`{host}` is not a host name"));
    }
    let path = path.split(['#', '?']).next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let pinned = |i: usize, what: &str| -> Result<(), String> {
        match segments.get(i) {
            Some(v) if VERSION.is_match(v) => Ok(()),
            Some(v) => Err(format!("`{v}` is not a tag or version: link {what} at the one the book uses")),
            None => Err(format!("no tag or version: link {what} at the one the book uses")),
        }
    };
    match host {
        // github.com/OWNER/REPO/(blob|tree)/REF/…; an issue or pull request is fixed by its number.
        "github.com" => match (segments.get(2).copied(), segments.get(3)) {
            (Some("blob" | "tree"), _) => pinned(3, "a repository's files"),
            (Some("issues" | "pull"), Some(_)) => Ok(()),
            (Some("releases"), Some(&"tag")) => pinned(4, "a release"),
            _ => Err("a repository link without a tag: link its files at a tag (…/tree/v0.1.8)".into()),
        },
        // docs.rs/CRATE/VERSION/…
        "docs.rs" => pinned(1, "the crate's API docs"),
        // crates.io/crates/NAME/VERSION
        "crates.io" => pinned(2, "the crate's page"),
        // pypi.org/project/NAME/VERSION/
        "pypi.org" => pinned(2, "the package's page"),
        // www.npmjs.com/package/[@SCOPE/]NAME/v/VERSION
        "www.npmjs.com" => {
            let v = segments.iter().position(|s| *s == "v").map(|i| i + 1).unwrap_or(usize::MAX);
            pinned(v, "the package's page (…/v/VERSION)")
        }
        // rubygems.org/gems/NAME/versions/VERSION
        "rubygems.org" => pinned(3, "the gem's page (…/versions/VERSION)"),
        _ if UNVERSIONED_SITES.contains(&host) => Ok(()),
        _ => Err(format!(
            "no rule for `{host}`: add how its addresses name a version (or that they cannot) in src/external_links.rs"
        )),
    }
}

/// The reader's own stack (the orchestration server's Swagger UI, an app's port).
fn is_local(href: &str) -> bool {
    ["http://127.0.0.1:", "http://localhost:"].iter().any(|p| href.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn links_pinned_to_a_tag_or_version_pass() {
        for ok in [
            "https://github.com/tasker-systems/tasker-core/tree/v0.1.8",
            "https://github.com/tasker-systems/tasker-core/blob/v0.1.8/docs/guides/dlq-system.md",
            "https://github.com/tasker-systems/tasker-core/blob/ruby-v0.1.10/crates/tasker-rb/lib/x.rb#L3",
            "https://github.com/tasker-systems/tasker-core/issues/12",
            "https://github.com/tasker-systems/tasker-core/releases/tag/v0.1.8",
            "https://docs.rs/tasker-worker/0.1.8/tasker_worker/",
            "https://docs.rs/axum/0.8",
            "https://crates.io/crates/tasker-worker/0.1.8",
            "https://pypi.org/project/tasker-py/0.1.8/",
            "https://www.npmjs.com/package/@tasker-systems/tasker/v/0.1.10",
            "https://rubygems.org/gems/tasker-rb/versions/0.1.10",
            "https://bun.sh/docs",
            "http://127.0.0.1:8080/api-docs/ui",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn unpinned_or_malformed_links_fail_with_the_reason() {
        for (bad, why) in [
            ("https://github.com/tasker-systems/tasker-core/blob/main/docs/guides/dlq-system.md", "`main`"),
            ("https://github.com/tasker-systems/tasker-core", "without a tag"),
            ("https://docs.rs/tasker-worker/latest/tasker_worker/", "`latest`"),
            ("https://crates.io/crates/tasker-worker", "no tag or version"),
            ("https://www.npmjs.com/package/@tasker-systems/tasker", "…/v/VERSION"),
            ("http://example.com/x", "not an https"),
            ("https://example.com/x", "no rule for `example.com`"),
            ("https:///x", "not a host name"),
        ] {
            let err = check(bad).expect_err(bad);
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
