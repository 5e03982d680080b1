//! The book as readers get it: the HTML that `scripts/test` built (with its verification
//! report) served over HTTP and opened in headless Chromium at 1280 px, every chapter and
//! `print.html`, with JavaScript on and off. A failure names the page, the check and the
//! element. Screenshots of every page go to `.state/site/`.
//!
//! Needs `book/` (scripts/test builds it before running this), Debian's `chromium` and
//! `chromium-driver`, and axe-core (`QS_AXE_JS`, installed by scripts/test).

use std::collections::BTreeSet;
use std::path::PathBuf;

use book_verification::{Book, Verification};
use serde_json::{Value, json};
use tasker_quickstarts::webdriver::{Driver, Session, StaticServer};
use tasker_quickstarts::{repo_root, state_dir};

const WIDTH: u32 = 1280;

/// A page of the built book and what the model says it shows.
struct Page {
    html: String,
    /// Code blocks, each of which must carry a badge.
    blocks: usize,
    /// Per mermaid block: the step names its diagram must show.
    diagrams: Vec<Vec<String>>,
}

fn pages(book: &Book) -> Vec<Page> {
    let mut pages: Vec<Page> = book
        .chapters
        .iter()
        .map(|chapter| Page {
            html: chapter.path.trim_end_matches(".md").to_string() + ".html",
            blocks: chapter.blocks.len(),
            diagrams: chapter
                .blocks
                .iter()
                .filter(|b| b.verification == Verification::Generated)
                .map(|b| step_names(&b.shown))
                .collect(),
        })
        .collect();
    pages.push(Page {
        html: "print.html".into(),
        blocks: pages.iter().map(|p| p.blocks).sum(),
        diagrams: pages.iter().flat_map(|p| p.diagrams.clone()).collect(),
    });
    pages
}

/// The nodes of a generated flowchart: every name on a line, arrows aside.
/// The step names a generated diagram declares: each side of an arrow (`-->`, or `-.->` to a
/// step created at run time), and each node, without its shape (`route_order{route_order}`
/// is the step `route_order`). Each labels its node, so it must be in the SVG's text.
fn step_names(mermaid: &str) -> Vec<String> {
    let names: BTreeSet<String> = mermaid
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("%%") && !l.starts_with("flowchart"))
        .flat_map(|l| l.split(" --> ").flat_map(|n| n.split(" -.-> ")).map(node_id).collect::<Vec<_>>())
        .filter(|n| !n.is_empty())
        .collect();
    names.into_iter().collect()
}

fn node_id(node: &str) -> String {
    node.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

fn book_dir() -> PathBuf {
    let dir = repo_root().join("book");
    assert!(
        dir.join("print.html").is_file(),
        "no built book in {}: run scripts/test (it builds the book before this test)",
        dir.display()
    );
    dir
}

/// The book's model, the built book served, and a WebDriver: what every test here starts with.
fn open_book() -> (Book, StaticServer, Driver) {
    let book = Book::load(&repo_root()).unwrap();
    let server = StaticServer::start(&book_dir()).unwrap();
    (book, server, Driver::start().unwrap())
}

/// What the page shows, measured in the browser.
fn measure(session: &Session, url: &str) -> Result<Value, String> {
    session.goto(url)?;
    // Mermaid renders after load; wait (at most 5 s) until every diagram is an SVG.
    session.run_async(
        r#"const done = arguments[arguments.length - 1];
           const t0 = Date.now();
           (function poll() {
             const pending = [...document.querySelectorAll('pre.mermaid, div.mermaid')]
               .filter(d => !d.querySelector('svg'));
             if (pending.length === 0 || Date.now() - t0 > 5000 || !window.mermaid) done(true);
             else setTimeout(poll, 100);
           })();"#,
        json!([]),
    )?;
    session.run(
        r#"const pres = [...document.querySelectorAll('main pre')];
           const scrolls = e => e && e.scrollWidth > e.clientWidth + 1;
           const wide = pres.filter(p => scrolls(p) || scrolls(p.querySelector('code')));
           return {
             badges: document.querySelectorAll('main .verification-badge').length,
             diagrams: [...document.querySelectorAll('main .mermaid svg')].map(s => s.textContent),
             wide: wide.map(p => ({
               text: p.textContent.split('\n').reduce((a, l) => l.length > a.length ? l : a, '').slice(0, 80),
               focusable: p.tabIndex >= 0 || !!p.querySelector('[tabindex]'),
             })),
             pageScrolls: document.documentElement.scrollWidth > window.innerWidth + 1,
           };"#,
        json!([]),
    )
}

#[test]
fn every_page_shows_its_badges_diagrams_and_fits_at_1280_px() {
    let (book, server, driver) = open_book();
    let shots = state_dir().join("site");
    std::fs::create_dir_all(&shots).unwrap();
    let mut problems = Vec::new();

    for javascript in [true, false] {
        let session = driver.session(WIDTH, javascript).unwrap();
        let mode = if javascript { "JavaScript on" } else { "JavaScript off" };
        for page in pages(&book) {
            let url = format!("{}/{}", server.url, page.html);
            let seen = match measure(&session, &url) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(format!("{}: {mode}: could not load: {e}", page.html));
                    continue;
                }
            };
            let badges = seen["badges"].as_u64().unwrap_or(0) as usize;
            if badges != page.blocks {
                problems.push(format!(
                    "{}: {mode}: badges: {badges} shown, the book has {} code blocks",
                    page.html, page.blocks
                ));
            }
            if javascript {
                for (console_level, message) in session.console().unwrap() {
                    if console_level == "SEVERE" || console_level == "WARNING" {
                        problems.push(format!("{}: console {console_level}: {message}", page.html));
                    }
                }
                let svgs: Vec<&str> =
                    seen["diagrams"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
                if svgs.len() != page.diagrams.len() {
                    problems.push(format!(
                        "{}: diagrams: {} rendered as SVG, the book has {}",
                        page.html,
                        svgs.len(),
                        page.diagrams.len()
                    ));
                }
                for (steps, svg) in page.diagrams.iter().zip(&svgs) {
                    for step in steps.iter().filter(|s| !svg.contains(s.as_str())) {
                        problems.push(format!("{}: diagram: step `{step}` is not in its SVG", page.html));
                    }
                }
                for wide in seen["wide"].as_array().unwrap() {
                    problems.push(format!(
                        "{}: code block scrolls sideways at {WIDTH} px{}: `{}`",
                        page.html,
                        if wide["focusable"] == true { "" } else { " and is not reachable by keyboard" },
                        wide["text"].as_str().unwrap_or("")
                    ));
                }
                if seen["pageScrolls"] == true {
                    problems.push(format!("{}: the page scrolls sideways at {WIDTH} px", page.html));
                }
                let name = page.html.replace('/', "-").replace(".html", ".png");
                if let Err(e) = session.screenshot(&shots.join(name)) {
                    problems.push(format!("{}: screenshot: {e}", page.html));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s) in the browser:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn search_finds_the_api_names_on_the_chapters_that_use_them() {
    let (book, server, driver) = open_book();
    let session = driver.session(WIDTH, true).unwrap();
    let mut problems = Vec::new();
    for term in ["wait_for_task_completion", "blocked_by_failures"] {
        let expected: BTreeSet<String> = book
            .chapters
            .iter()
            .filter(|c| c.expanded.contains(term))
            .map(|c| c.path.trim_end_matches(".md").to_string() + ".html")
            .collect();
        session.goto(&format!("{}/index.html?search={term}", server.url)).unwrap();
        let found = session
            .run_async(
                r#"const done = arguments[arguments.length - 1];
                   const t0 = Date.now();
                   (function poll() {
                     const links = [...document.querySelectorAll('#mdbook-searchresults a')];
                     if (links.length > 0 || Date.now() - t0 > 5000)
                       done(links.map(a => new URL(a.href).pathname.replace(/^\//, '')));
                     else setTimeout(poll, 100);
                   })();"#,
                json!([]),
            )
            .unwrap();
        let found: BTreeSet<String> =
            found.as_array().unwrap().iter().filter_map(Value::as_str).map(String::from).collect();
        for page in expected.difference(&found) {
            problems.push(format!("search `{term}`: {page} uses it but is not among the results {found:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// axe-core's rules in the light theme. Violations inside mdBook's own page template (its
/// menu bar and sidebar) are printed, not failed: they are mdBook's, and TESTING.md lists
/// them with the mdBook version.
#[test]
fn no_serious_accessibility_violation_of_the_books_own_markup_in_the_light_theme() {
    assert_no_serious_violation("light", json!(null));
}

/// The navy theme differs from the light one only in its colours, so only axe's colour
/// rules run there.
#[test]
fn no_serious_colour_violation_of_the_books_own_markup_in_the_navy_theme() {
    assert_no_serious_violation("navy", json!(["color-contrast", "link-in-text-block"]));
}

/// Runs axe-core (all its rules, or the `rules` given) over every chapter in `theme`.
/// print.html is every chapter's <main> once more, one after the other: checking it would
/// double the work and find nothing the chapters do not.
fn assert_no_serious_violation(theme: &str, rules: Value) {
    let axe = std::fs::read_to_string(
        std::env::var("QS_AXE_JS")
            .expect("QS_AXE_JS names axe.min.js (scripts/test installs axe-core and sets it)"),
    )
    .expect("reading axe.min.js");
    let (book, server, driver) = open_book();
    let session = driver.session(WIDTH, true).unwrap();
    let mut problems = Vec::new();
    let mut template = BTreeSet::new();
    let chapters: Vec<Page> = pages(&book).into_iter().filter(|p| p.html != "print.html").collect();
    // The theme is kept in localStorage: set once, it holds for every page after.
    session.goto(&format!("{}/{}", server.url, chapters[0].html)).unwrap();
    session.run("localStorage.setItem('mdbook-theme', arguments[0]);", json!([theme])).unwrap();
    for (i, page) in chapters.iter().enumerate() {
        session.goto(&format!("{}/{}", server.url, page.html)).unwrap();
        session.run(&axe, json!([])).unwrap();
        // mdBook's template is the same on every page: the whole document is checked on the
        // first page, and only <main> on the others.
        let context = if i == 0 { "html" } else { "main" };
        // The book's own markup is what mdBook renders into <main>; the rest of the page
        // (menu bar, sidebar, navigation) is mdBook's template.
        let violations = session
            .run_async(
                r#"const done = arguments[arguments.length - 1];
                   const [context, rules] = arguments;
                   axe.run(context, rules ? { resultTypes: ['violations'], runOnly: rules }
                                          : { resultTypes: ['violations'] })
                     .then(r => done(r.violations
                       .filter(v => v.impact === 'serious' || v.impact === 'critical')
                       .flatMap(v => v.nodes.map(n => ({
                         id: v.id,
                         node: n.target.join(' '),
                         book: !!document.querySelector('main') &&
                           document.querySelector('main').contains(document.querySelector(n.target[0])),
                       })))))
                     .catch(e => done([{ id: 'axe failed: ' + e, node: '', book: true }]));"#,
                json!([context, rules]),
            )
            .unwrap();
        for v in violations.as_array().unwrap() {
            let (id, node) = (v["id"].as_str().unwrap_or("?"), v["node"].as_str().unwrap_or("?"));
            if v["book"] == true {
                problems.push(format!("{} ({theme}): {id}: {node}", page.html));
            } else {
                template.insert(format!("{id}: {node}"));
            }
        }
    }
    for found in &template {
        eprintln!("mdBook's page template ({theme}): {found}");
    }
    assert!(problems.is_empty(), "{} violation(s):\n{}", problems.len(), problems.join("\n"));
}
