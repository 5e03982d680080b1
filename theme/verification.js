// Verification badges. Every code block's info string carries a word saying how the book's
// test suite verifies it (```console,run, ```json,output, ```rust,tested, ```ts,not-run-npm…);
// mdBook keeps those words as CSS classes on <code>, and this script turns them into a badge.
// build.rs reads the REASONS table below, so the page and the tests cannot disagree.
(function () {
  "use strict";
  /* BEGIN REASONS */
  const REASONS = {
    "docker": "no Docker engine on the book's CI machine; the same stack runs there without Docker",
    "npm": "@tasker-systems/tasker is not on the npm registry this book's CI can reach",
    "rubygems": "tasker-rb needs Ruby >= 3.4 and RubyGems, neither reachable on the book's CI machine",
    "suite-end": "scripts/test runs it after the last chapter; here it would stop the stack the next chapters use"
  };
  /* END REASONS */

  const VERSION = "0.1.8";
  const LABELS = {
    run: ["executed", "Executed against Tasker " + VERSION + " by the book's tests"],
    output: ["real output", "Output of the command above, compared by the tests (UUIDs and times redacted)"],
    tested: ["compiled & tested", "Part of a listing that the test suite builds and runs against Tasker " + VERSION],
    compile: ["compiled", "Compiled by the book's tests"],
    "checked-tsc": ["checked with tsc", "Type-checked with the TypeScript compiler"],
    "checked-ruby": ["checked with ruby -wc, RuboCop", "Syntax-checked with ruby -wc (warnings fail too) and RuboCop"],
    generated: ["generated", "Generated from the task template by the tests"]
  };

  function badgeFor(classes) {
    for (const c of classes) {
      if (c.startsWith("not-run-")) {
        const why = REASONS[c.slice(8)] || "reason missing";
        const checked = classes.find(function (k) { return LABELS[k] && k.startsWith("checked-"); });
        const prefix = checked ? LABELS[checked][0] + "; " : "";
        return [prefix + "not executed here: " + why, "not-run", why];
      }
    }
    if (classes.includes("run") && classes.includes("language-rust")) {
      return ["compiled & executed", "run", "Compiled and run against Tasker " + VERSION + " by the book's tests"];
    }
    for (const key of Object.keys(LABELS)) {
      if (classes.includes(key)) return [LABELS[key][0], key.startsWith("checked") ? "checked" : key, LABELS[key][1]];
    }
    return null;
  }

  function decorate() {
    document.querySelectorAll("pre > code").forEach(function (code) {
      const found = badgeFor(Array.from(code.classList));
      const pre = code.parentElement;
      if (!found || pre.querySelector(".qs-badge")) return;
      const badge = document.createElement("span");
      badge.className = "qs-badge qs-" + found[1];
      badge.textContent = found[0];
      badge.title = found[2];
      pre.classList.add("qs-verified");
      pre.insertBefore(badge, pre.firstChild);
    });
    document.querySelectorAll("pre.mermaid").forEach(function (pre) {
      if (pre.previousElementSibling && pre.previousElementSibling.classList.contains("qs-badge")) return;
      const badge = document.createElement("span");
      badge.className = "qs-badge qs-generated qs-diagram";
      badge.textContent = LABELS.generated[0] + " from the task template";
      badge.title = LABELS.generated[1];
      pre.parentElement.insertBefore(badge, pre);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", decorate);
  else decorate();
})();
