//! `auth:` and `default_headers:` in the settings, and the checks on what they name that need no
//! spec: setter names are Rust identifiers, header names are HTTP tokens, values fit a header,
//! versions are what Cargo takes. Which scheme keys exist is checked against the spec in
//! `ir::client`.

use indexmap::IndexMap;
use serde::Deserialize;

use super::Settings;
use crate::error::{escape_token, Error, ErrorKind};

/// One security scheme's entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSetting {
    /// The builder method that sets the credential. The runtime's typed setters are `api_key`
    /// (an API key), `auth_token` (a bearer token) and `basic_auth` (user and password); any
    /// other name is set with `credential("<name>", value)`. By default the first scheme of each
    /// kind gets the typed setter and any other its key in snake case.
    #[serde(default)]
    pub setter: Option<String>,
    /// The environment variable `Client::from_env` reads the credential from.
    #[serde(default)]
    pub env: Option<String>,
}

/// `default_headers`: name -> value, in the order the file gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct DefaultHeaders(pub IndexMap<String, String>);

/// Whether `text` is a version Cargo takes: `MAJOR.MINOR.PATCH`, with an optional `-pre` and
/// `+build` of ASCII letters, digits, `.` and `-`.
pub fn is_version(text: &str) -> bool {
    let (core, _build) = split_once_or(text, '+');
    let (core, pre) = split_once_or(core, '-');
    let numbers: Vec<&str> = core.split('.').collect();
    let number = |n: &&str| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    let label = |s: &str| {
        s.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    };
    numbers.len() == 3
        && numbers.iter().all(number)
        && pre.is_none_or(label)
        && text.split_once('+').is_none_or(|(_, build)| label(build))
}

fn split_once_or(text: &str, c: char) -> (&str, Option<&str>) {
    match text.split_once(c) {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    }
}

/// An HTTP header name (RFC 9110 `token`).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

/// Checks `auth` and `default_headers`.
pub fn validate(settings: &Settings, file: &str) -> Result<(), Error> {
    let at =
        |pointer: String, reason: String| Error::at(file, pointer, ErrorKind::Settings(reason));
    let mut setters: Vec<(&str, &str)> = Vec::new();
    for (scheme, entry) in &settings.auth {
        let pointer = format!("#/auth/{}", escape_token(scheme));
        if let Some(setter) = &entry.setter {
            let ident = setter.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && setter
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && setter != "_"
                && !crate::ir::names::needs_raw(setter)
                && !crate::ir::names::cannot_be_raw(setter);
            if !ident {
                return Err(at(
                    format!("{pointer}/setter"),
                    format!("`{setter}` is not a setter name: a snake_case Rust identifier"),
                ));
            }
            if let Some((other, _)) = setters.iter().find(|(_, s)| s == setter) {
                return Err(at(
                    format!("{pointer}/setter"),
                    format!("`{setter}` is already the setter of `{other}`"),
                ));
            }
            setters.push((scheme, setter));
        }
        if let Some(var) = &entry.env {
            if var.is_empty() || var.contains(|c: char| c == '=' || c == '\0' || c.is_whitespace())
            {
                return Err(at(
                    format!("{pointer}/env"),
                    format!("`{var}` is not an environment variable name"),
                ));
            }
        }
    }
    for (name, value) in &settings.default_headers.0 {
        let pointer = format!("#/default_headers/{}", escape_token(name));
        if !is_header_name(name) {
            return Err(at(pointer, format!("`{name}` is not a header name")));
        }
        if value.contains(|c: char| (c.is_control() && c != '\t') || c == '\u{7f}') {
            return Err(at(
                pointer,
                "the value holds a line break or another control character".into(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for good in [
            "0.1.0",
            "1.2.3",
            "10.0.0-beta.1",
            "1.0.0+build.5",
            "1.0.0-rc-1+x",
        ] {
            assert!(is_version(good), "{good}");
        }
        for bad in [
            "1.0",
            "1.0.0.0",
            "01.0.0",
            "1.0.0-",
            "1.0.0+",
            "v1.0.0",
            "1.0.0-a b",
            "1.0.\"0",
        ] {
            assert!(!is_version(bad), "{bad}");
        }
    }

    #[test]
    fn header_names() {
        assert!(is_header_name("anthropic-version"));
        assert!(is_header_name("X-Api_Key.1"));
        assert!(!is_header_name("bad header"));
        assert!(!is_header_name("a:b"));
        assert!(!is_header_name(""));
    }
}
