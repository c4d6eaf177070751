//! `names:` in the settings: group and method names for specs whose operationIds or tags make
//! poor Rust (`messages_post` -> `client.messages().create()`).

use std::collections::BTreeMap;

use serde::Deserialize;

/// Name overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// By operationId: where the method goes and what it is called.
    #[serde(default)]
    pub operations: BTreeMap<String, OperationName>,
    /// By tag: the group its operations go to, as a dotted path (`beta.files`).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// Where one operation's method goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationName {
    /// The group, as a dotted path of group names (`messages.batches` gives
    /// `client.messages().batches()`); `""` puts the method on the client itself.
    #[serde(default)]
    pub group: Option<String>,
    /// The method's name (`create`).
    #[serde(default)]
    pub method: Option<String>,
}

/// A dotted group path as its segments; the empty path is the client itself.
pub fn group_path(dotted: &str) -> Vec<String> {
    dotted
        .split('.')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
