//! Unified diffs for `cargo xtask check`: when `generated/` is stale, the reader should see what
//! changed, not just that something did.

use similar::TextDiff;

/// A unified diff of two texts with three lines of context, headed `--- old_label` /
/// `+++ new_label`. When the difference would be invisible in a line diff (line endings, bytes
/// that are not UTF-8), a note says so.
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    let mut out = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string();
    if old.replace("\r\n", "\n") == new.replace("\r\n", "\n") {
        out.push_str(&format!(
            "note: {old_label} differs only in line endings (CRLF vs LF): check git's core.autocrlf\n"
        ));
    } else if out.is_empty() {
        out.push_str(&format!(
            "note: {old_label} differs in bytes that are not UTF-8 text\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        let diff = unified(old, new, "x (on disk)", "x (from spec)");
        assert_eq!(
            diff,
            "--- x (on disk)\n+++ x (from spec)\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn explains_line_ending_differences() {
        let diff = unified("a\r\nb\r\n", "a\nb\n", "x", "y");
        assert!(diff.contains("-a\r\n") && diff.contains("+a\n"), "{diff}");
        assert!(diff.ends_with(
            "note: x differs only in line endings (CRLF vs LF): check git's core.autocrlf\n"
        ));
    }
}
