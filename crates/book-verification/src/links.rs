//! Internal links of the rendered book: every `href` to a page of the book must name a page
//! that exists and, with a `#fragment`, an `id` on that page. Checked on mdBook's own HTML,
//! so the heading ids are the ones mdBook really made (no copy of its slug rules here).
//! mdbook-linkcheck2 checks the pages; this adds the fragments. Links out of the book are
//! held to `external_links`' rules (well formed, pinned to a version).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::external_links;
use crate::paths::normalize;

static ID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\sid="([^"]*)""#).unwrap());
static HREF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\shref="([^"]*)""#).unwrap());

/// A link that points nowhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page it is on, relative to the book's output folder.
    pub page: String,
    pub href: String,
    pub why: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: link `{}`: {}", self.page, self.href, self.why)
    }
}

/// Checks every `.html` page under `book_dir` (the HTML renderer's output).
pub fn check_rendered(book_dir: &Path) -> Result<Vec<BrokenLink>, String> {
    let mut pages = BTreeMap::new();
    collect_pages(book_dir, book_dir, &mut pages)?;
    if pages.is_empty() {
        return Err(format!(
            "no HTML pages under {}: build the book first (mdbook build)",
            book_dir.display()
        ));
    }
    let ids: BTreeMap<&String, BTreeSet<String>> = pages
        .iter()
        .map(|(page, html)| (page, ID.captures_iter(html).map(|c| unescape(&c[1])).collect()))
        .collect();
    let mut broken = Vec::new();
    for (page, html) in &pages {
        for href in HREF.captures_iter(html).map(|c| unescape(&c[1])) {
            if href.contains("://") {
                if let Err(why) = external_links::check(&href) {
                    broken.push(BrokenLink { page: page.clone(), href: href.clone(), why });
                }
                continue;
            }
            if href.starts_with("mailto:") || href.starts_with("javascript:") {
                continue;
            }
            let (target, fragment) = match href.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (href.as_str(), None),
            };
            let target_page = if target.is_empty() {
                page.clone()
            } else {
                let dir = Path::new(page).parent().unwrap_or(Path::new(""));
                normalize(&dir.join(target))
            };
            let is_page = target_page.ends_with(".html");
            if !is_page {
                // Stylesheets, scripts, fonts: the file must exist.
                if !book_dir.join(&target_page).exists() {
                    broken.push(BrokenLink {
                        page: page.clone(),
                        href: href.clone(),
                        why: "no such file".into(),
                    });
                }
                continue;
            }
            let Some(target_ids) = ids.get(&target_page) else {
                broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                    why: format!("no page {target_page}"),
                });
                continue;
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty())
                && !target_ids.contains(fragment)
            {
                broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                    why: format!("{target_page} has no element with id `{fragment}`"),
                });
            }
        }
    }
    Ok(broken)
}

fn collect_pages(root: &Path, dir: &Path, pages: &mut BTreeMap<String, String>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path: PathBuf = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_pages(root, &path, pages)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let html = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            pages.insert(rel, html);
        }
    }
    Ok(())
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_pages_and_fragments() {
        let dir = std::env::temp_dir().join(format!("bv-links-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("quickstart")).unwrap();
        std::fs::write(
            dir.join("stack.html"),
            r##"<h2 id="with-docker">x</h2><a href="#with-docker">ok</a>"##,
        )
        .unwrap();
        std::fs::write(
            dir.join("quickstart/axum.html"),
            r##"<a href="../stack.html#with-docker">ok</a> <a href="../stack.html#with-dokker">bad</a>
               <a href="../stak.html">bad</a> <a href="https://docs.rs/axum/0.8#y">external</a>
               <a href="https://github.com/o/r/blob/main/x.md">unpinned</a>
               <a href="../missing.css">bad</a>"##,
        )
        .unwrap();
        let broken = check_rendered(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let found: Vec<String> = broken.iter().map(|b| b.to_string()).collect();
        assert_eq!(
            found,
            vec![
                "quickstart/axum.html: link `../stack.html#with-dokker`: stack.html has no element with id `with-dokker`",
                "quickstart/axum.html: link `../stak.html`: no page stak.html",
                "quickstart/axum.html: link `https://github.com/o/r/blob/main/x.md`: `main` is not a tag or \
                 version: link a repository's files at the one the book uses",
                "quickstart/axum.html: link `../missing.css`: no such file",
            ]
        );
    }

    #[test]
    fn an_unbuilt_book_is_an_error() {
        let dir = std::env::temp_dir().join(format!("bv-links-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = check_rendered(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("build the book first"), "{err}");
    }
}
