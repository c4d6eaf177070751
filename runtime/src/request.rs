//! One request as generated code builds it.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::Method;
use serde::Serialize;

use crate::body::Body;

/// One API call, built by generated code. Problems (bad JSON) are reported at send time
/// as [`Error::InvalidRequest`](crate::Error::InvalidRequest).
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// An absolute URL that replaces the base URL, path and query (a next-page link); set by
    /// pagination only, after checking it has the base URL's origin.
    pub(crate) url: Option<reqwest::Url>,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) error: Option<String>,
    /// The operation's security requirements when they are not the API's default (every
    /// scheme): see [`Request::security`].
    pub(crate) security: Option<Security>,
}

/// An operation's security requirements as OpenAPI gives them: alternatives, each the names
/// of the schemes that must all be sent; an empty alternative (or no alternative) means the
/// operation needs no credential.
pub type Security = &'static [&'static [&'static str]];

impl Request {
    /// A request for `path` (relative to the base URL; path parameters already encoded,
    /// e.g. with [`encode_path_segment`](crate::encode_path_segment)).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            url: None,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            error: None,
            security: None,
        }
    }

    /// The operation's own security requirements (its `security`, or the document's when they
    /// name fewer than all of the API's schemes). Only the credentials of schemes they name are
    /// sent; of two that go in the same place (`Authorization`), the one named first. Without
    /// this, every configured credential is sent.
    pub fn security(mut self, requirements: Security) -> Self {
        self.security = Some(requirements);
        self
    }

    /// Append a query parameter (kept in call order).
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((Cow::Borrowed(name), value.into()));
        self
    }

    /// Append a query parameter whose name is computed (`deepObject` keys such as `card[exp]`).
    pub fn query_owned(mut self, name: String, value: impl Into<String>) -> Self {
        self.query.push((Cow::Owned(name), value.into()));
        self
    }

    /// Replace every query parameter named `name` with one of `value` (where the first one
    /// was, else at the end): how pagination moves a cursor.
    pub fn set_query(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.query.iter().position(|(n, _)| n == name) {
            Some(first) => {
                self.query[first].1 = value;
                let mut index = 0;
                self.query.retain(|(n, _)| {
                    index += 1;
                    index - 1 == first || n != name
                });
            }
            None => self.query.push((Cow::Owned(name.to_owned()), value)),
        }
    }

    /// Set a header (replacing an earlier one of the same name). Validated at send time;
    /// a value with CR or LF is an [`Error::InvalidRequest`](crate::Error::InvalidRequest).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A JSON body, serialized now to compact bytes. A serialization failure is reported
    /// at send time.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::Json(Bytes::from(bytes))),
            Err(e) => self.error = Some(format!("could not serialize the JSON body: {e}")),
        }
        self
    }

    /// The JSON object `body` with one more key, `"name": value` (a streaming method's
    /// `"stream": true`), without cloning `body`. A key of that name in `body` is replaced.
    /// A `body` that is not an object is reported at send time.
    pub fn json_with_flag<T: Serialize + ?Sized>(
        mut self,
        body: &T,
        name: &'static str,
        value: bool,
    ) -> Self {
        match with_flag(body, name, value) {
            Ok(bytes) => self.body = Some(Body::Json(Bytes::from(bytes))),
            Err(reason) => self.error = Some(reason),
        }
        self
    }

    /// Set the body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = Some(body);
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// Serialize `body` and splice `"name":value` in before its closing brace. Only when the
/// bytes might already hold the key (a `"name":` anywhere, even inside a string) is the
/// object parsed and re-serialized, so the common case is one serialization.
fn with_flag<T: Serialize + ?Sized>(body: &T, name: &str, value: bool) -> Result<Vec<u8>, String> {
    let mut bytes =
        serde_json::to_vec(body).map_err(|e| format!("could not serialize the JSON body: {e}"))?;
    let key = serde_json::to_string(name).map_err(|e| format!("bad flag name: {e}"))?;
    let not_object = || format!("`{name}` can only be added to a JSON object body");
    if bytes.first() != Some(&b'{') || bytes.last() != Some(&b'}') {
        return Err(not_object());
    }
    let mut needle = key.clone().into_bytes();
    needle.push(b':');
    if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
        let mut object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&bytes).map_err(|_| not_object())?;
        object.insert(name.to_owned(), serde_json::Value::Bool(value));
        return serde_json::to_vec(&object)
            .map_err(|e| format!("could not serialize the JSON body: {e}"));
    }
    bytes.pop();
    if bytes.len() > 1 {
        bytes.push(b',');
    }
    bytes.extend_from_slice(&needle);
    bytes.extend_from_slice(if value { b"true}" } else { b"false}" });
    Ok(bytes)
}

impl fmt::Debug for Request {
    /// Header and query values and bodies are left out: they may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field(
                "query",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("body", &self.body)
            .field("security", &self.security)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_of(r: &Request) -> serde_json::Value {
        match &r.body {
            Some(Body::Json(b)) => serde_json::from_slice(b).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_failure_is_deferred() {
        let mut m = std::collections::HashMap::new();
        m.insert(vec![1u8], 1); // non-string map keys cannot be JSON
        let r = Request::new(Method::POST, "/x").json(&m);
        assert!(r.error.is_some());
    }

    #[test]
    fn json_with_flag_splices_the_key() {
        let r = Request::new(Method::POST, "/x").json_with_flag(&json!({"a": 1}), "stream", true);
        match &r.body {
            Some(Body::Json(b)) => assert_eq!(&b[..], br#"{"a":1,"stream":true}"#),
            other => panic!("{other:?}"),
        }
        let r = Request::new(Method::POST, "/x").json_with_flag(&json!({}), "stream", false);
        assert_eq!(json_of(&r), json!({"stream": false}));
        // An existing key is replaced, not duplicated.
        let r = Request::new(Method::POST, "/x").json_with_flag(
            &json!({"stream": false, "b": "x"}),
            "stream",
            true,
        );
        assert_eq!(json_of(&r), json!({"stream": true, "b": "x"}));
        // The needle inside a string value takes the slow path and still gives one key.
        let r = Request::new(Method::POST, "/x").json_with_flag(
            &json!({"p": "\"stream\":1"}),
            "stream",
            true,
        );
        assert_eq!(json_of(&r), json!({"p": "\"stream\":1", "stream": true}));
        let r = Request::new(Method::POST, "/x").json_with_flag(&[1, 2], "stream", true);
        assert!(r.error.unwrap().contains("object"));
    }

    #[test]
    fn set_query_replaces_all_of_a_name_in_place() {
        let mut r = Request::new(Method::GET, "/x")
            .query("a", "1")
            .query("page", "1")
            .query_owned("b[c]".to_owned(), "2")
            .query("page", "x");
        r.set_query("page", "2");
        let pairs: Vec<(&str, &str)> = r.query.iter().map(|(n, v)| (&**n, v.as_str())).collect();
        assert_eq!(pairs, [("a", "1"), ("page", "2"), ("b[c]", "2")]);
        r.set_query("cursor", "c1");
        assert_eq!(r.query.last().unwrap().1, "c1");
    }

    #[test]
    fn debug_hides_values() {
        let r = Request::new(Method::GET, "/x")
            .header("x-test-key", "sk-secret")
            .query("k", "sk-secret");
        assert!(!format!("{r:?}").contains("sk-secret"));
    }
}
