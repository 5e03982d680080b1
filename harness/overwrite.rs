//! `SNAPSHOTS=overwrite`: replaces the body of each mismatching output block in its chapter
//! file with what the command really printed.

use std::path::Path;

use book_verification::Block;

/// Rewrites from the bottom up, so earlier line numbers stay valid. Refuses when the file
/// changed since the book was loaded (a fence is no longer where the block says).
pub fn rewrite_outputs(path: &Path, rewrites: &[(&Block, String)]) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut sorted: Vec<&(&Block, String)> = rewrites.iter().collect();
    sorted.sort_by_key(|(b, _)| std::cmp::Reverse(b.line));
    for (block, actual) in sorted {
        let fence_ok = lines.get(block.line - 1).is_some_and(|l| l.trim_start().starts_with("```"));
        if !fence_ok {
            return Err(format!(
                "{}:{}: the file changed during the test run; run the tests again",
                path.display(),
                block.line
            ));
        }
        let (first, last) = block.body_lines;
        let new: Vec<String> = actual.trim_end().lines().map(str::to_string).collect();
        lines.splice(first - 1..last.max(first - 1), new);
        eprintln!("  SNAPSHOTS=overwrite: rewrote the output at {}:{}", path.display(), block.line);
    }
    std::fs::write(path, lines.join("\n") + "\n").map_err(|e| format!("{}: {e}", path.display()))
}
