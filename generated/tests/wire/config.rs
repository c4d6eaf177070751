//! The client's configuration facts that come from spec/ (`api-reference.md` §7): the
//! environment variables `from_env` reads, the spec's server as the default base URL, auth
//! being required, and that no `Debug` or error shows a credential. Precedence rules and the
//! custom-headers format are the runtime's (`runtime/tests/env.rs`, `runtime/tests/secrets/`).

use std::sync::Mutex;

use anthropic_completions::{Client, CompletionCreateParams, Error, EventStream};
use forge_runtime::Api;

use crate::common::*;

/// The variables spec/forge.yaml names, and nothing else.
const VARS: [&str; 4] = [
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_CUSTOM_HEADERS",
];

/// Environment variables are process-wide: the tests that set them take this lock, and only
/// they call `from_env`.
static ENV_LOCK: Mutex<()> = Mutex::new(());

/// Sets `vars` (all of [`VARS`] removed first) for the guard's life, then puts the old values back.
struct EnvGuard {
    saved: Vec<(&'static str, Option<std::ffi::OsString>)>,
    _lock: std::sync::MutexGuard<'static, ()>,
}

impl EnvGuard {
    fn set(vars: &[(&'static str, &str)]) -> Self {
        let lock = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let saved = VARS.iter().map(|v| (*v, std::env::var_os(v))).collect();
        for v in VARS {
            std::env::remove_var(v);
        }
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
        EnvGuard { saved, _lock: lock }
    }
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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// `from_env` reads exactly the four `ANTHROPIC_*` variables: the description the generated
/// crate hands the runtime names no other, and each one reaches the wire.
#[test]
fn from_env_reads_exactly_the_anthropic_variables() {
    let api = <Client as Api>::DESCRIPTION;
    let mut named: Vec<&str> = api
        .auth
        .iter()
        .filter_map(|scheme| scheme.env)
        .chain(api.env.base_url)
        .chain(api.env.custom_headers)
        .collect();
    named.sort_unstable();
    assert_eq!(named, VARS);

    let rt = runtime();
    let server = rt.block_on(server_with(completion_8()));
    let uri = server.uri();
    let _env = EnvGuard::set(&[
        ("ANTHROPIC_API_KEY", API_KEY),
        ("ANTHROPIC_AUTH_TOKEN", AUTH_TOKEN),
        ("ANTHROPIC_BASE_URL", &uri),
        (
            "ANTHROPIC_CUSTOM_HEADERS",
            "x-custom-one: 1\nx-custom-two: 2",
        ),
    ]);
    let client = Client::from_env().expect("configured from the environment");
    assert_eq!(client.base_url(), uri);
    rt.block_on(async { client.completions().create(&params_8()).await })
        .unwrap();
    let req = rt.block_on(only_request(&server));
    assert_eq!(header(&req, "x-api-key").as_deref(), Some(API_KEY));
    assert_eq!(
        header(&req, "authorization"),
        Some(format!("Bearer {AUTH_TOKEN}"))
    );
    assert_eq!(header(&req, "x-custom-one").as_deref(), Some("1"));
    assert_eq!(header(&req, "x-custom-two").as_deref(), Some("2"));
}

/// With none of the variables set, `from_env` builds a client for the spec's server, and a
/// request fails before any I/O because the spec requires a credential.
#[test]
fn from_env_without_variables_uses_the_spec_server_and_requires_a_credential() {
    let rt = runtime();
    let _env = EnvGuard::set(&[]);
    let client = Client::from_env().expect("builds without variables");
    assert_eq!(client.base_url(), "https://api.anthropic.com");
    assert_eq!(
        Client::new(API_KEY).unwrap().base_url(),
        "https://api.anthropic.com"
    );
    let err = rt
        .block_on(async { client.completions().create(&params_8()).await })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
}

/// The key and the token never show in `Debug` of `Client` or `ClientBuilder`, nor in the
/// `Debug` or `Display` of an error: an authentication error, a connection error, and the
/// configuration error for a key that cannot be sent.
#[tokio::test]
async fn no_debug_or_error_shows_a_credential() {
    fn assert_hidden(what: &str, text: &str) {
        for secret in [API_KEY, AUTH_TOKEN, "TESTSECRET"] {
            assert!(!text.contains(secret), "{what} shows a credential: {text}");
        }
    }
    let configured = || Client::builder().api_key(API_KEY).auth_token(AUTH_TOKEN);
    assert_hidden("ClientBuilder", &format!("{:?}", configured()));
    assert_hidden("Client", &format!("{:?}", configured().build().unwrap()));

    let server = server_with(error_reply(
        401,
        "authentication_error",
        "invalid x-api-key",
        "req_auth",
    ))
    .await;
    let err = builder(&server.uri())
        .auth_token(AUTH_TOKEN)
        .build()
        .unwrap()
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert_hidden("an API error", &format!("{err:?} {err}"));

    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let err = builder(&refused)
        .max_retries(0)
        .build()
        .unwrap()
        .completions()
        .create(&params_8())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_hidden("a connection error", &format!("{err:?} {err}"));

    let err = Client::new(format!("{API_KEY}\r\nx-injected: 1")).unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert_hidden("a configuration error", &format!("{err:?} {err}"));
}

/// The generated client, its request futures and its streams can move between threads
/// (`tokio::spawn`), and one client is shared by cloning.
#[test]
fn client_request_futures_and_streams_are_send() {
    fn send<T: Send>(_: &T) {}
    fn shared<T: Send + Sync + Clone + 'static>() {}
    fn stream<T: Send + Unpin + 'static>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    shared::<Client>();
    stream::<EventStream<anthropic_completions::Completion>>();
    error::<Error>();
    let client = Client::new(API_KEY).unwrap();
    let params = CompletionCreateParams::new("claude-2.1", PROMPT_8, 1);
    let api = client.completions();
    send(&std::future::IntoFuture::into_future(api.create(&params)));
    send(&api.create(&params).with_response());
    send(&std::future::IntoFuture::into_future(
        api.create_streaming(&params),
    ));
}
