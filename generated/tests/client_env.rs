//! `Client::from_env()` and `ClientBuilder::from_env()` (`api-reference.md` §7): precedence
//! explicit > environment > default, empty counts as unset, custom headers.
//!
//! Environment variables are process-global, so every test here takes `ENV_LOCK`, starts
//! from a clean slate (all four variables removed) and puts the previous values back when
//! it ends, even on panic. The tests are synchronous (each drives its own Tokio runtime) so
//! that the lock is never held across an `.await`.

mod common;

use std::sync::{Mutex, MutexGuard};

use anthropic_completions::{Client, ClientBuilder, Error, RequestOptions};
use common::*;
use tokio::runtime::Runtime;
use wiremock::{MockServer, Request};

const VARS: [&str; 4] = [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_CUSTOM_HEADERS",
];

static ENV_LOCK: Mutex<()> = Mutex::new(());

/// Holds the lock and the saved environment; restores it on drop.
struct EnvGuard {
    saved: Vec<(&'static str, Option<std::ffi::OsString>)>,
    _lock: MutexGuard<'static, ()>,
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            match value {
                Some(v) => std::env::set_var(name, v),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// Takes the lock, clears the four variables, then sets `vars`.
fn env(vars: &[(&str, &str)]) -> EnvGuard {
    let lock = ENV_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let saved = VARS.iter().map(|&n| (n, std::env::var_os(n))).collect();
    for name in VARS {
        std::env::remove_var(name);
    }
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
    EnvGuard { saved, _lock: lock }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A runtime and a wiremock server answering the §8 completion.
fn serve() -> (Runtime, MockServer) {
    let rt = runtime();
    let server = rt.block_on(server_with(completion_8()));
    (rt, server)
}

/// Sends the §8 request with `client` and returns what `server` received.
fn send(rt: &Runtime, server: &MockServer, client: &Client) -> Request {
    rt.block_on(async {
        client.completions().create(&params_8()).await.unwrap();
        only_request(server).await
    })
}

/// Builds with `configure(Client::builder())` after setting `vars`, sends the §8 request
/// and returns what the server received. `vars` may refer to the server as `{base}`.
fn sent_with_env(
    vars: &[(&str, &str)],
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Request {
    let (rt, server) = serve();
    let base = server.uri();
    let vars: Vec<(&str, String)> = vars
        .iter()
        .map(|(n, v)| (*n, v.replace("{base}", &base)))
        .collect();
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let _env = env(&pairs);
    let client = configure(Client::builder()).build().unwrap();
    send(&rt, &server, &client)
}

#[test]
fn from_env_reads_api_key_and_base_url() {
    let (rt, server) = serve();
    let _env = env(&[
        ("ANTHROPIC_API_KEY", API_KEY),
        ("ANTHROPIC_BASE_URL", &server.uri()),
    ]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), server.uri());
    let req = send(&rt, &server, &client);
    assert_eq!(header(&req, "x-api-key").as_deref(), Some(API_KEY));
    assert_eq!(header(&req, "authorization"), None);
}

#[test]
fn from_env_reads_auth_token_as_bearer() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_AUTH_TOKEN", AUTH_TOKEN),
            ("ANTHROPIC_BASE_URL", "{base}"),
        ],
        ClientBuilder::from_env,
    );
    assert_eq!(
        header(&req, "authorization"),
        Some(format!("Bearer {AUTH_TOKEN}"))
    );
    assert_eq!(header(&req, "x-api-key"), None);
}

#[test]
fn from_env_sends_both_credentials_when_both_are_set() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", API_KEY),
            ("ANTHROPIC_AUTH_TOKEN", AUTH_TOKEN),
            ("ANTHROPIC_BASE_URL", "{base}"),
        ],
        ClientBuilder::from_env,
    );
    assert_eq!(header(&req, "x-api-key").as_deref(), Some(API_KEY));
    assert_eq!(
        header(&req, "authorization"),
        Some(format!("Bearer {AUTH_TOKEN}"))
    );
}

#[test]
fn explicit_api_key_beats_the_env_var_when_set_before_from_env() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", "env-key"),
            ("ANTHROPIC_BASE_URL", "{base}"),
        ],
        |b| b.api_key("explicit-key").from_env(),
    );
    assert_eq!(header(&req, "x-api-key").as_deref(), Some("explicit-key"));
}

#[test]
fn explicit_api_key_beats_the_env_var_when_set_after_from_env() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", "env-key"),
            ("ANTHROPIC_BASE_URL", "{base}"),
        ],
        |b| b.from_env().api_key("explicit-key"),
    );
    assert_eq!(header(&req, "x-api-key").as_deref(), Some("explicit-key"));
}

#[test]
fn explicit_auth_token_beats_the_env_var() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_AUTH_TOKEN", "env-token"),
            ("ANTHROPIC_BASE_URL", "{base}"),
        ],
        |b| b.from_env().auth_token("explicit-token"),
    );
    assert_eq!(
        header(&req, "authorization").as_deref(),
        Some("Bearer explicit-token")
    );
}

#[test]
fn explicit_base_url_beats_the_env_var() {
    let (rt, server) = serve();
    let _env = env(&[
        ("ANTHROPIC_API_KEY", API_KEY),
        ("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/not-here"),
    ]);
    let client = Client::builder()
        .from_env()
        .base_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.uri());
    send(&rt, &server, &client);
}

#[test]
fn default_base_url_without_env_var() {
    let _env = env(&[("ANTHROPIC_API_KEY", API_KEY)]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "https://api.anthropic.com");
}

#[test]
fn empty_base_url_env_var_counts_as_unset() {
    let _env = env(&[("ANTHROPIC_API_KEY", API_KEY), ("ANTHROPIC_BASE_URL", "")]);
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "https://api.anthropic.com");
}

#[test]
fn empty_api_key_env_var_counts_as_unset() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", ""),
            ("ANTHROPIC_AUTH_TOKEN", AUTH_TOKEN),
            ("ANTHROPIC_BASE_URL", "{base}"),
        ],
        ClientBuilder::from_env,
    );
    assert_eq!(header(&req, "x-api-key"), None);
    assert_eq!(
        header(&req, "authorization"),
        Some(format!("Bearer {AUTH_TOKEN}"))
    );
}

#[test]
fn no_credential_in_env_fails_before_any_request() {
    let (rt, server) = serve();
    let _env = env(&[
        ("ANTHROPIC_API_KEY", ""),
        ("ANTHROPIC_BASE_URL", &server.uri()),
    ]);
    let client = Client::from_env().unwrap();
    let err = rt
        .block_on(client.completions().create(&params_8()))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "got {err:?}");
    assert_eq!(rt.block_on(received(&server)).len(), 0);
}

#[test]
fn builder_without_from_env_ignores_the_environment() {
    let (rt, server) = serve();
    let _env = env(&[
        ("ANTHROPIC_API_KEY", "env-key"),
        ("ANTHROPIC_CUSTOM_HEADERS", "x-from-env: yes"),
    ]);
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let err = rt
        .block_on(client.completions().create(&params_8()))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "got {err:?}");
    assert_eq!(rt.block_on(received(&server)).len(), 0);
    let client = Client::new(API_KEY).unwrap();
    assert_eq!(client.base_url(), "https://api.anthropic.com");
}

#[test]
fn custom_headers_env_var_adds_headers() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", API_KEY),
            ("ANTHROPIC_BASE_URL", "{base}"),
            (
                "ANTHROPIC_CUSTOM_HEADERS",
                "X-Team: forge\n  X-Spaced  :  padded value  \nno colon here\nX-Dup: first\nX-Dup: second",
            ),
        ],
        ClientBuilder::from_env,
    );
    assert_eq!(header(&req, "x-team").as_deref(), Some("forge"));
    assert_eq!(header(&req, "x-spaced").as_deref(), Some("padded value"));
    assert_eq!(header_all(&req, "x-dup"), vec!["second".to_owned()]);
}

#[test]
fn custom_headers_env_var_replaces_a_built_in_header() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", API_KEY),
            ("ANTHROPIC_BASE_URL", "{base}"),
            ("ANTHROPIC_CUSTOM_HEADERS", "anthropic-version: 2099-12-31"),
        ],
        ClientBuilder::from_env,
    );
    assert_eq!(
        header_all(&req, "anthropic-version"),
        vec!["2099-12-31".to_owned()]
    );
}

#[test]
fn builder_default_header_beats_custom_headers_env_var() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", API_KEY),
            ("ANTHROPIC_BASE_URL", "{base}"),
            ("ANTHROPIC_CUSTOM_HEADERS", "x-team: from-env"),
        ],
        |b| b.from_env().default_header("x-team", "from-builder"),
    );
    assert_eq!(header_all(&req, "x-team"), vec!["from-builder".to_owned()]);
}

#[test]
fn per_request_header_beats_custom_headers_env_var() {
    let (rt, server) = serve();
    let _env = env(&[
        ("ANTHROPIC_API_KEY", API_KEY),
        ("ANTHROPIC_BASE_URL", &server.uri()),
        ("ANTHROPIC_CUSTOM_HEADERS", "x-team: from-env"),
    ]);
    let client = Client::from_env().unwrap();
    let req = rt.block_on(async {
        client
            .completions()
            .create_with(
                &params_8(),
                RequestOptions::new().header("x-team", "from-request"),
            )
            .await
            .unwrap();
        only_request(&server).await
    });
    assert_eq!(header_all(&req, "x-team"), vec!["from-request".to_owned()]);
}

#[test]
fn empty_custom_headers_env_var_adds_nothing() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", API_KEY),
            ("ANTHROPIC_BASE_URL", "{base}"),
            ("ANTHROPIC_CUSTOM_HEADERS", ""),
        ],
        ClientBuilder::from_env,
    );
    let mut names: Vec<&str> = req.headers.keys().map(|n| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        assert!(
            [
                "accept",
                "anthropic-version",
                "content-length",
                "content-type",
                "host",
                "user-agent",
                "x-api-key",
                "x-stainless-retry-count",
            ]
            .contains(&name),
            "unexpected header {name}"
        );
    }
}

#[test]
fn invalid_base_url_env_var_is_a_config_error() {
    let _env = env(&[
        ("ANTHROPIC_API_KEY", API_KEY),
        ("ANTHROPIC_BASE_URL", "not a url"),
    ]);
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "got {err:?}");
}

#[test]
fn environment_is_restored_after_a_test() {
    let before: Vec<_> = {
        let _lock = ENV_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        VARS.iter().map(std::env::var_os).collect()
    };
    {
        let _env = env(&[("ANTHROPIC_API_KEY", "temporary")]);
        assert_eq!(std::env::var("ANTHROPIC_API_KEY").unwrap(), "temporary");
    }
    let _lock = ENV_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let after: Vec<_> = VARS.iter().map(std::env::var_os).collect();
    assert_eq!(before, after);
}

#[test]
fn empty_explicit_api_key_falls_back_to_the_env_var() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_API_KEY", "env-key"),
            ("ANTHROPIC_BASE_URL", "{base}"),
        ],
        |b| b.api_key("").from_env(),
    );
    assert_eq!(header(&req, "x-api-key").as_deref(), Some("env-key"));
}

#[test]
fn custom_headers_env_var_can_carry_the_credential() {
    let req = sent_with_env(
        &[
            ("ANTHROPIC_BASE_URL", "{base}"),
            ("ANTHROPIC_CUSTOM_HEADERS", "x-api-key: from-custom-headers"),
        ],
        ClientBuilder::from_env,
    );
    assert_eq!(
        header(&req, "x-api-key").as_deref(),
        Some("from-custom-headers")
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_env_var_is_a_config_error() {
    use std::os::unix::ffi::OsStrExt;
    let _env = env(&[]);
    std::env::set_var(
        "ANTHROPIC_API_KEY",
        std::ffi::OsStr::from_bytes(b"sk-\xff\xfe"),
    );
    let err = Client::from_env().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "got {err:?}");
}
