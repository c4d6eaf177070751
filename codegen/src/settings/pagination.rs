//! `pagination:` in the settings: how each list operation pages, by operationId.

use serde::Deserialize;

/// One operation's paging rule: where its items are, and one way to ask for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRule {
    /// The response field (`data`, or a path `/result/items`) that holds the list; the response
    /// itself when absent.
    #[serde(default)]
    pub items: Option<String>,
    /// A cursor: a response value goes into a request parameter.
    #[serde(default)]
    pub cursor: Option<CursorRule>,
    /// An offset parameter, advanced by the number of items received.
    #[serde(default)]
    pub offset: Option<ParamRule>,
    /// A page-number parameter, advanced by one.
    #[serde(default)]
    pub page: Option<PageNumberRule>,
    /// The `Link: <...>; rel="next"` header.
    #[serde(default)]
    pub link_header: bool,
}

/// A cursor rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CursorRule {
    /// The query parameter that takes the cursor (`after_id`, `starting_after`).
    pub param: String,
    /// The response field holding the next cursor (`last_id`, `next_cursor`).
    #[serde(default)]
    pub from: Option<String>,
    /// The field of the last item holding the cursor (`id`).
    #[serde(default)]
    pub from_last_item: Option<String>,
    /// A boolean response field that says whether there is more (`has_more`).
    #[serde(default)]
    pub has_more: Option<String>,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamRule {
    /// The query parameter.
    pub param: String,
}

/// A page-number rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageNumberRule {
    /// The query parameter.
    pub param: String,
    /// The first page's number when the caller sets none (default 1).
    #[serde(default)]
    pub first: Option<u64>,
}

impl PageRule {
    /// The names of the schemes the rule sets (exactly one is valid).
    pub fn schemes(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.cursor.is_some() {
            out.push("cursor");
        }
        if self.offset.is_some() {
            out.push("offset");
        }
        if self.page.is_some() {
            out.push("page");
        }
        if self.link_header {
            out.push("link_header");
        }
        out
    }
}
