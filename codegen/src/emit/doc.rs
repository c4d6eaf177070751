//! Spec text to rustdoc. Descriptions are Markdown written for other renderers: left as they are,
//! rustdoc would run their unlabelled code blocks as doctests and warn on `[Legacy]` (a broken
//! intra-doc link), bare URLs and `<tags>`. This module makes them safe without changing what a
//! reader sees. Text only ever reaches the output inside `#[doc = "..."]` string literals, so no
//! description can inject code.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for a description (nothing when there is none).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) if !text.trim().is_empty() => lines_to_attrs(&sanitize(text)),
        _ => TokenStream::new(),
    }
}

/// `#[doc]` attributes for the generator's own text, which may hold intra-doc links: split into
/// lines, nothing escaped.
pub fn own_doc(text: &str) -> TokenStream {
    // Spec text reaches here too (titles, names): a bare CR would end the comment line.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = text.lines().map(|l| visible_bidi(l.trim_end())).collect();
    lines_to_attrs(&lines)
}

/// `#[doc]` attributes for a description, or the fallback when there is none.
pub fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    match text {
        Some(text) if !text.trim().is_empty() => doc_attrs(Some(text)),
        _ => doc_attrs(Some(fallback)),
    }
}

/// The first sentence-ish line of a description, for short mentions.
pub fn first_line(text: Option<&str>) -> Option<String> {
    let line = text?.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.to_owned())
}

/// Inner `#![doc]` attributes, for a module or crate.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let attrs = sanitize(text).into_iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #![doc = #text] }
    });
    quote! { #(#attrs)* }
}

fn lines_to_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #text] }
    });
    quote! { #(#attrs)* }
}

/// Rewrites Markdown so rustdoc renders it as written and tests none of it.
pub fn sanitize(text: &str) -> Vec<String> {
    let text = visible_bidi(&text.replace("\r\n", "\n").replace('\r', "\n"));
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for raw in text.trim_matches('\n').lines() {
        let line = raw.trim_end().replace('\t', "    ");
        let trimmed = line.trim_start();
        if let Some(marker) = fence.clone() {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
                out.push(marker);
            } else {
                out.push(line.clone());
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            let lang = trimmed[marker.len()..].trim();
            // Unlabelled (or Rust) blocks would become doctests.
            let lang = if lang.is_empty() || lang.split(',').any(|w| w.trim() == "rust") {
                "text"
            } else {
                lang
            };
            out.push(format!("{marker}{lang}"));
            fence = Some(marker);
            continue;
        }
        // Four spaces of indentation make an indented code block, which rustdoc would test.
        let indent = line.len() - trimmed.len();
        let kept = " ".repeat(indent.min(3));
        out.push(format!("{kept}{}", escape_inline(trimmed)));
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    out
}

/// Escapes, outside code spans: `[x]` that is not a link, bare URLs, and `<` that would open an
/// HTML tag.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy a code span verbatim.
                let ticks = chars[i..].iter().take_while(|c| **c == '`').count();
                let close = find_ticks(&chars, i + ticks, ticks);
                let end = close.map(|e| e + ticks).unwrap_or(chars.len());
                if close.is_none() {
                    // An unmatched backtick is literal text.
                    out.push_str(&"\\`".repeat(ticks));
                    i += ticks;
                    continue;
                }
                out.extend(&chars[i..end]);
                i = end;
            }
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
            }
            '[' => {
                let close = matching_bracket(&chars, i);
                let is_link =
                    close.is_some_and(|e| matches!(chars.get(e + 1), Some('(') | Some('[')));
                if is_link {
                    let e = close.unwrap_or(i);
                    // Keep the link text and its target as written.
                    out.push('[');
                    out.push_str(&escape_inline(&chars[i + 1..e].iter().collect::<String>()));
                    out.push(']');
                    i = e + 1;
                    if chars.get(i) == Some(&'(') {
                        let target_end = chars[i..]
                            .iter()
                            .position(|c| *c == ')')
                            .map(|p| i + p + 1)
                            .unwrap_or(chars.len());
                        out.extend(&chars[i..target_end]);
                        i = target_end;
                    }
                } else {
                    out.push_str("\\[");
                    i += 1;
                }
            }
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => {
                let rest: String = chars[i + 1..].iter().take(8).collect();
                if rest.starts_with("http://") || rest.starts_with("https://") {
                    let end = chars[i..]
                        .iter()
                        .position(|c| *c == '>')
                        .map(|p| i + p + 1)
                        .unwrap_or(chars.len());
                    out.extend(&chars[i..end]);
                    i = end;
                } else {
                    out.push_str("&lt;");
                    i += 1;
                }
            }
            '>' if i > 0 => {
                out.push_str("&gt;");
                i += 1;
            }
            'h' if starts_url(&chars[i..]) => {
                let mut end = i;
                while end < chars.len()
                    && !chars[end].is_whitespace()
                    && !matches!(chars[end], '<' | '>' | '"' | '`')
                {
                    end += 1;
                }
                while end > i
                    && matches!(
                        chars[end - 1],
                        '.' | ',' | ';' | ':' | ')' | '!' | '?' | '\''
                    )
                {
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// rustc refuses bidirectional-override characters in comments (they can make code read
/// differently than it runs), and doc attributes print as comments: show them as escapes.
fn visible_bidi(text: &str) -> String {
    if !text.chars().any(is_bidi_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if is_bidi_control(c) {
                format!("\\u{{{:04x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn starts_url(chars: &[char]) -> bool {
    let head: String = chars.iter().take(8).collect();
    head.starts_with("http://") || head.starts_with("https://")
}

fn find_ticks(chars: &[char], from: usize, ticks: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let run = chars[j..].iter().take_while(|c| **c == '`').count();
            if run == ticks {
                return Some(j);
            }
            j += run;
        } else {
            j += 1;
        }
    }
    None
}

fn matching_bracket(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (j, c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlabelled_code_blocks_become_text() {
        let lines = sanitize("For example:\n\n```\n\"\\n\\nHuman: {q}\"\n```");
        assert_eq!(lines[2], "```text");
        assert_eq!(lines[4], "```");
    }

    #[test]
    fn bracketed_words_that_are_not_links_are_escaped() {
        assert_eq!(sanitize("[Legacy] Create")[0], "\\[Legacy\\] Create");
        assert_eq!(
            sanitize("see [docs](https://x.y/z) now")[0],
            "see [docs](https://x.y/z) now"
        );
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(
            sanitize("Visit https://a.b/c for more.")[0],
            "Visit <https://a.b/c> for more."
        );
    }

    #[test]
    fn html_like_tags_are_escaped() {
        assert_eq!(sanitize("Bearer <token>")[0], "Bearer &lt;token&gt;");
    }

    #[test]
    fn code_spans_are_kept_verbatim() {
        assert_eq!(sanitize("use `[x] <y>` here")[0], "use `[x] <y>` here");
    }

    #[test]
    fn indented_code_is_not_a_code_block() {
        assert_eq!(sanitize("a\n\n        let x = 1;")[2], "   let x = 1;");
    }
}
