//! Per-request options: what a caller may override for one call.

use std::fmt;
use std::time::Duration;

/// Per-request overrides. `Debug` shows header and query names, never their values.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) extra_body: serde_json::Map<String, serde_json::Value>,
    pub(crate) idempotency_key: Option<String>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Time limit per attempt (for a stream: for the headers, then per idle gap).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Retries after the first attempt.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// Add or replace a header; it wins over every other source.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Add a query parameter; it replaces the request's parameters of the same name.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Keys merged into the top level of a JSON object body; these values win. Calling it
    /// again adds to the keys given before. Without a body, the keys become the body.
    pub fn extra_body(mut self, body: serde_json::Map<String, serde_json::Value>) -> Self {
        self.extra_body.extend(body);
        self
    }

    /// One key merged into the top level of a JSON object body (see [`Self::extra_body`]).
    pub fn extra_body_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.extra_body.insert(name.into(), value.into());
        self
    }

    /// The idempotency key to send instead of a generated one (for APIs that have an
    /// idempotency header; a header of that name set by the caller wins over both).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// These options with `other`'s on top: `other`'s timeout, retries and idempotency key win
    /// where set; headers, query parameters and extra body keys are appended (so `other`'s win
    /// on a clash, as later values always do).
    pub fn merge(mut self, other: RequestOptions) -> Self {
        self.timeout = other.timeout.or(self.timeout);
        self.max_retries = other.max_retries.or(self.max_retries);
        self.headers.extend(other.headers);
        self.query.extend(other.query);
        self.extra_body.extend(other.extra_body);
        self.idempotency_key = other.idempotency_key.or(self.idempotency_key);
        self
    }

    /// The timeout override, if any.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The `max_retries` override, if any.
    pub fn get_max_retries(&self) -> Option<u32> {
        self.max_retries
    }
}

impl fmt::Debug for RequestOptions {
    /// Header and query values are left out: they may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "query",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("extra_body", &self.extra_body.keys().collect::<Vec<_>>())
            .field(
                "idempotency_key",
                &self.idempotency_key.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_lets_the_other_win_and_appends_lists() {
        let a = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .max_retries(5)
            .header("x-a", "1")
            .query("q", "1")
            .extra_body(json!({"a": 1, "b": 1}).as_object().unwrap().clone())
            .idempotency_key("k1");
        let b = RequestOptions::new()
            .timeout(Duration::from_secs(2))
            .header("x-a", "2")
            .query("r", "2")
            .extra_body(json!({"b": 2}).as_object().unwrap().clone());
        let m = a.merge(b);
        assert_eq!(m.timeout, Some(Duration::from_secs(2)));
        assert_eq!(m.max_retries, Some(5));
        assert_eq!(m.headers.len(), 2);
        assert_eq!(m.headers[1], ("x-a".to_owned(), "2".to_owned()));
        assert_eq!(m.query.len(), 2);
        assert_eq!(m.extra_body["b"], 2);
        assert_eq!(m.extra_body["a"], 1);
        assert_eq!(m.idempotency_key.as_deref(), Some("k1"));
        let m = m.merge(RequestOptions::new().idempotency_key("k2"));
        assert_eq!(m.idempotency_key.as_deref(), Some("k2"));
    }

    #[test]
    fn debug_hides_values() {
        let o = RequestOptions::new()
            .header("authorization", "Bearer sk-secret")
            .query("key", "sk-secret")
            .idempotency_key("sk-secret");
        let text = format!("{o:?}");
        assert!(!text.contains("sk-secret"), "{text}");
        assert!(text.contains("authorization"), "{text}");
    }
}
