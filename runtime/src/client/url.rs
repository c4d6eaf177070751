//! The base URL: parsing (once per client), redaction for messages, joining request paths.

use std::net::IpAddr;

use reqwest::Url;

use crate::secret::Secret;

/// A parsed base URL, without user info and without a trailing `/`.
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl {
    /// The URL as text, for `Client::base_url`.
    pub(crate) text: String,
    /// The same, parsed; requests clone it and set their path.
    pub(crate) url: Url,
}

/// What parsing a configured base URL gives besides the URL itself.
pub(crate) struct ParsedBase {
    pub(crate) base: BaseUrl,
    /// `Authorization: Basic …` made from user info in the URL, if it had any.
    pub(crate) basic_auth: Option<Secret>,
    /// `Some(host)` for `http://` to a host that is not loopback.
    pub(crate) insecure_host: Option<String>,
}

/// Parse a base URL. Messages show the URL with any password redacted.
pub(crate) fn parse_base(raw: &str) -> Result<ParsedBase, String> {
    let text = raw.trim().trim_end_matches('/');
    let shown = redact_url(text);
    let mut url = Url::parse(text).map_err(|e| format!("invalid base URL {shown:?}: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("base URL {shown:?} is not http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "base URL {shown:?} must not have a query or fragment"
        ));
    }
    let insecure_host = insecure_http_host(&url);
    // User info (`https://user:pass@host`) becomes HTTP Basic auth, as in curl and httpx, and
    // leaves the URL: the HTTP stack would otherwise carry it in its pool key (and log it at
    // TRACE level) without ever sending it.
    let basic_auth = if url.username().is_empty() && url.password().is_none() {
        None
    } else {
        let mut credentials = percent_decode(url.username());
        credentials.push(b':');
        credentials.extend(url.password().map(percent_decode).unwrap_or_default());
        let _ = url.set_username("");
        let _ = url.set_password(None);
        Some(Secret::new(format!(
            "Basic {}",
            crate::client::auth::base64(&credentials)
        )))
    };
    let text = url.as_str().trim_end_matches('/').to_owned();
    Ok(ParsedBase {
        base: BaseUrl { text, url },
        basic_auth,
        insecure_host,
    })
}

impl BaseUrl {
    /// The URL of `path` (relative to the base, leading `/`s ignored) with exactly one `/`
    /// between the base's path and it.
    pub(crate) fn join(&self, path: &str) -> Result<Url, String> {
        let path = path.trim_start_matches('/');
        if path.contains(['?', '#']) {
            // Rare shapes: let the URL parser split them.
            let joined = if path.is_empty() {
                self.text.clone()
            } else {
                format!("{}/{}", self.text, path)
            };
            return Url::parse(&joined).map_err(|e| format!("invalid request path {path:?}: {e}"));
        }
        let mut url = self.url.clone();
        if !path.is_empty() {
            let prefix = url.path().trim_end_matches('/');
            let mut joined = String::with_capacity(prefix.len() + 1 + path.len());
            joined.push_str(prefix);
            joined.push('/');
            joined.push_str(path);
            url.set_path(&joined);
        }
        Ok(url)
    }

    /// `true` if `url` has this base URL's scheme, host and port.
    pub(crate) fn same_origin(&self, url: &Url) -> bool {
        same_origin(&self.url, url)
    }
}

pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A URL for messages: a password in its user-info part (`http://user:pw@host`) is replaced by
/// `***`. Works on text that does not parse as a URL too.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    match authority.rfind('@') {
        Some(at) => {
            let user_info = &authority[..at];
            let user = user_info.split_once(':').map_or(user_info, |(u, _)| u);
            let redacted = if user_info.contains(':') {
                format!("{user}:***")
            } else {
                // A lone user name may itself be a token (`https://TOKEN@host`).
                "***".to_owned()
            };
            format!(
                "{}{redacted}{}",
                &url[..authority_start],
                &url[authority_start + at..]
            )
        }
        None => url.to_owned(),
    }
}

/// `url` as text with the values of the query parameters named in `secret_names` replaced by
/// `***` (for hooks, which see the URL of each attempt).
pub(crate) fn redact_query(url: &Url, secret_names: &[&str]) -> String {
    if secret_names.is_empty() || url.query().is_none() {
        return url.as_str().to_owned();
    }
    let mut clean = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(n, v)| {
            let v = if secret_names.contains(&&*n) {
                "***".into()
            } else {
                v.into_owned()
            };
            (n.into_owned(), v)
        })
        .collect();
    clean.query_pairs_mut().clear().extend_pairs(pairs);
    clean.as_str().to_owned()
}

/// The host of an `http://` URL whose host is not loopback (`127.0.0.0/8`, `::1`, `localhost`,
/// `*.localhost`); `None` for `https://` and loopback.
fn insecure_http_host(url: &Url) -> Option<String> {
    if url.scheme() != "http" {
        return None;
    }
    let host = url.host_str()?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => {
            let name = bare.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    (!loopback).then(|| match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// Percent-decode URL user info (the `url` crate keeps it encoded).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_passwords_and_lone_user_tokens() {
        assert_eq!(
            redact_url("https://u:pw@h.example/p?q#f"),
            "https://u:***@h.example/p?q#f"
        );
        assert_eq!(redact_url("https://tok@h/x@y"), "https://***@h/x@y");
        assert_eq!(redact_url("https://h.example/a@b"), "https://h.example/a@b");
        assert_eq!(redact_url("http://a:b:c@[::1"), "http://a:***@[::1");
        assert_eq!(redact_url("not a url"), "not a url");
        assert_eq!(redact_url("x://@"), "x://***@");
        assert_eq!(redact_url(""), "");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%3Ab%40c%"), b"a:b@c%");
        assert_eq!(percent_decode("%zz%4"), b"%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é".as_bytes());
    }

    #[test]
    fn user_info_becomes_basic_auth_and_leaves_the_url() {
        let parsed = parse_base("https://us%40er:p%3Ass@example.com/v1/").unwrap();
        assert_eq!(parsed.base.text, "https://example.com/v1");
        let auth = parsed.basic_auth.unwrap();
        assert_eq!(
            auth.expose(),
            format!("Basic {}", crate::client::auth::base64(b"us@er:p:ss"))
        );
    }

    #[test]
    fn joining_keeps_the_prefix_with_one_slash() {
        for base in ["http://h/p", "http://h/p/", "http://h/p//"] {
            let parsed = parse_base(base).unwrap().base;
            for path in ["/v1/x", "v1/x", "//v1/x"] {
                assert_eq!(
                    parsed.join(path).unwrap().as_str(),
                    "http://h/p/v1/x",
                    "{base} {path}"
                );
            }
        }
        let parsed = parse_base("http://h").unwrap().base;
        assert_eq!(parsed.join("/a?b=1").unwrap().as_str(), "http://h/a?b=1");
        assert_eq!(parsed.join("").unwrap().as_str(), "http://h/");
    }

    #[test]
    fn query_secrets_are_redacted() {
        let url = Url::parse("http://h/x?a=1&api_key=SECRET&b=2").unwrap();
        assert_eq!(
            redact_query(&url, &["api_key"]),
            "http://h/x?a=1&api_key=***&b=2"
        );
        assert_eq!(redact_query(&url, &[]), url.as_str());
    }

    #[test]
    fn insecure_hosts() {
        let host = |u: &str| insecure_http_host(&Url::parse(u).unwrap());
        for loopback in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://localhost",
            "http://LOCALHOST.:1",
            "http://api.localhost",
            "http://[::1]:9",
            "http://[::ffff:127.0.0.1]",
            "https://example.com",
            "https://10.0.0.1",
        ] {
            assert_eq!(host(loopback), None, "{loopback}");
        }
        assert_eq!(host("http://example.com"), Some("example.com".to_owned()));
        assert_eq!(
            host("http://10.1.2.3:8080/v1"),
            Some("10.1.2.3:8080".to_owned())
        );
        assert_eq!(
            host("http://[2001:db8::1]"),
            Some("[2001:db8::1]".to_owned())
        );
        assert_eq!(
            host("http://localhost.evil.com"),
            Some("localhost.evil.com".to_owned())
        );
        assert_eq!(host("http://0.0.0.0"), Some("0.0.0.0".to_owned()));
        assert_eq!(
            host("http://u:pw@example.com"),
            Some("example.com".to_owned())
        );
    }
}
