//! Credentials: which scheme a setter names, explicit versus environment, how each is sent.

use crate::api::{ApiDescription, AuthKind, AuthScheme};
use crate::secret::Secret;

/// How the builder was told which scheme a credential is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selector {
    /// A typed setter (`api_key`, `auth_token`, `basic_auth`): matched against
    /// [`AuthScheme::setter`].
    Setter(&'static str),
    /// [`credential`](crate::ClientBuilder::credential): a scheme name or a setter name.
    Name(String),
}

impl Selector {
    fn matches(&self, scheme: &AuthScheme) -> bool {
        match self {
            Selector::Setter(setter) => scheme.setter == *setter,
            Selector::Name(name) => scheme.name == name || scheme.setter == name,
        }
    }

    fn shown(&self) -> String {
        match self {
            Selector::Setter(setter) => format!("`{setter}`"),
            Selector::Name(name) => format!("`{name}`"),
        }
    }
}

/// What the schemes of `api` are, for messages: "`KeyAuth` (api_key), `BearerAuth` (auth_token)".
fn schemes_shown(api: &ApiDescription) -> String {
    if api.auth.is_empty() {
        return "this API has no auth schemes".to_owned();
    }
    let names: Vec<String> = api
        .auth
        .iter()
        .map(|s| format!("`{}` (setter `{}`)", s.name, s.setter))
        .collect();
    format!("this API has {}", names.join(", "))
}

/// The credential per scheme: explicit ones (later calls win) over the environment's. An
/// empty explicit secret counts as unset, like an empty environment variable.
pub(crate) fn resolve(
    api: &'static ApiDescription,
    explicit: &[(Selector, Secret)],
    from_env: &[(&'static str, Secret)],
) -> Result<Vec<(&'static AuthScheme, Secret)>, String> {
    for (selector, _) in explicit {
        if !api.auth.iter().any(|s| selector.matches(s)) {
            return Err(format!(
                "no auth scheme for {}: {}",
                selector.shown(),
                schemes_shown(api)
            ));
        }
    }
    let mut out = Vec::new();
    for scheme in api.auth {
        let given = explicit
            .iter()
            .rev()
            .find(|(sel, secret)| sel.matches(scheme) && !secret.is_empty())
            .map(|(_, s)| s.clone());
        let env = || {
            from_env
                .iter()
                .find(|(name, _)| *name == scheme.name)
                .map(|(_, s)| s.clone())
        };
        if let Some(secret) = given.or_else(env) {
            out.push((scheme, encode(scheme, secret)));
        }
    }
    Ok(out)
}

/// A Basic scheme's secret given as `user:password` is encoded; base64 never contains `:`,
/// so an already encoded value is told apart without guessing.
fn encode(scheme: &AuthScheme, secret: Secret) -> Secret {
    if scheme.kind == AuthKind::Basic && secret.expose().contains(':') {
        Secret::new(base64(secret.expose().as_bytes()))
    } else {
        secret
    }
}

/// Standard base64 with padding (RFC 4648), for `Authorization: Basic`. Eighteen lines instead
/// of a crate: the runtime's dependency tree is what every generated client compiles.
pub(crate) fn base64(data: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(TABLE[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{AuthLocation, EnvNames, RetryHeaders};

    static API: ApiDescription = ApiDescription {
        client_name: "T",
        crate_version: "1",
        default_base_url: "",
        auth: &[
            AuthScheme {
                name: "Key",
                setter: "api_key",
                kind: AuthKind::ApiKey,
                location: AuthLocation::Header {
                    name: "x-key",
                    prefix: "",
                },
                env: None,
            },
            AuthScheme {
                name: "Basic",
                setter: "basic_auth",
                kind: AuthKind::Basic,
                location: AuthLocation::Header {
                    name: "authorization",
                    prefix: "Basic ",
                },
                env: None,
            },
        ],
        auth_required: true,
        default_headers: &[],
        retry_count_header: None,
        request_id_header: None,
        idempotency_header: None,
        retry: RetryHeaders {
            should_retry: None,
            retry_after_ms: None,
        },
        status_kinds: &[],
        env: EnvNames {
            base_url: None,
            custom_headers: None,
        },
    };

    #[test]
    fn base64_vectors() {
        for (input, expected) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"user:pass", "dXNlcjpwYXNz"),
            (b"\xff\xfe\x00", "//4A"),
        ] {
            assert_eq!(base64(input), expected);
        }
    }

    #[test]
    fn setters_names_and_precedence() {
        let explicit = [
            (Selector::Setter("api_key"), Secret::new("first")),
            (Selector::Name("Key".into()), Secret::new("second")),
            (Selector::Name("basic_auth".into()), Secret::new("u:p")),
        ];
        let env = [("Key", Secret::new("env"))];
        let got = resolve(&API, &explicit, &env).unwrap();
        assert_eq!(got[0].1.expose(), "second");
        assert_eq!(got[1].1.expose(), base64(b"u:p"));
        let got = resolve(
            &API,
            &[(Selector::Setter("api_key"), Secret::new(""))],
            &env,
        )
        .unwrap();
        assert_eq!(
            got[0].1.expose(),
            "env",
            "an empty explicit value counts as unset"
        );
    }

    #[test]
    fn an_unknown_setter_names_the_schemes() {
        let err = resolve(
            &API,
            &[(Selector::Setter("auth_token"), Secret::new("t"))],
            &[],
        )
        .unwrap_err();
        assert!(err.contains("`auth_token`"), "{err}");
        assert!(err.contains("`Key` (setter `api_key`)"), "{err}");
        assert!(!err.contains("t\""), "{err}");
    }
}
