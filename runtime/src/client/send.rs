//! One logical request: everything that can fail before I/O ([`prepare`]), then the attempt
//! loop ([`execute`]), which hands a 2xx response to a [`Reader`] and retries what the policy
//! retries, a failure while reading the body included.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::Method;
use tracing::Instrument;

use crate::api::{AuthLocation, AuthScheme};
use crate::body::merge_extra_body;
use crate::client::deadline::Deadline;
use crate::client::headers::{self, ClientHeaders};
use crate::client::read::{self, ReadCtx, Reader, Take};
use crate::client::url::redact_query;
use crate::client::Inner;
use crate::error::{header_request_id, ApiError, Error, ErrorEnvelope};
use crate::hook::{HookError, HookRequest, HookResponse};
use crate::options::RequestOptions;
use crate::request::{Request, Security};
use crate::response::{Response, ResponseFuture};
use crate::retry::{self, Rng};
use crate::secret::Secret;

/// A request ready to send, possibly several times.
struct Prepared {
    method: Method,
    url: reqwest::Url,
    /// The first attempt's headers, built in [`prepare`]; a retry rebuilds them from the parts
    /// below instead of every request keeping a copy, since retries are rare.
    first_headers: Option<HeaderMap>,
    /// The per-client headers with only the credentials the operation accepts, when it
    /// accepts fewer than the client's (else the client's own).
    /// Boxed: most operations use the client's, and every byte here is in each request's future.
    client_headers: Option<Box<ClientHeaders>>,
    accept: &'static str,
    content_type: Option<HeaderValue>,
    /// What the request sets over the client's headers, in precedence order.
    overrides: Vec<(HeaderName, HeaderValue)>,
    body: Option<Bytes>,
    /// The retry-count header, when the runtime sets it (nobody else did).
    retry_header: Option<HeaderName>,
    timeout: Duration,
    max_retries: u32,
}

impl Prepared {
    fn headers(&mut self, inner: &Inner, attempt: u32) -> HeaderMap {
        let mut map = self.first_headers.take().unwrap_or_else(|| {
            self.client_headers
                .as_deref()
                .unwrap_or(&inner.headers)
                .for_request(self.accept, self.content_type.as_ref(), &self.overrides)
        });
        // The client's map holds the count 0 already: only a retry writes it.
        if let (Some(name), true) = (&self.retry_header, attempt > 0) {
            map.insert(name.clone(), HeaderValue::from(attempt));
        }
        map
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Send `req` with retries and read a 2xx response with `reader`, in a `request` span.
///
/// Everything that can fail before I/O is done now; the future holds only the attempt loop.
/// That future is the one allocation of the request: its state is built in the box and never
/// moved again, where each `async` layer above it (the runtime's send method, the generated
/// request's future) would copy it once more.
pub(crate) fn run<'a, E: ErrorEnvelope, R: Reader<E> + Send + 'a>(
    inner: &'a Inner,
    req: Request,
    opts: RequestOptions,
    accept: &'static str,
    reader: R,
) -> ResponseFuture<'a, R::Output, Error<E>> {
    let span = tracing::info_span!(
        "request",
        method = %req.method,
        path = %req.path,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
    );
    let mut rng = Rng::lazy();
    match span.in_scope(|| prepare(inner, req, opts, accept, &mut rng)) {
        Ok(prepared) => {
            Box::pin(execute(inner, prepared, reader, rng, span.clone()).instrument(span))
        }
        Err(reason) => Box::pin(std::future::ready(Err(Error::invalid(reason)))),
    }
}

/// Everything that can fail before I/O: body, headers, auth, URL.
fn prepare(
    inner: &Inner,
    req: Request,
    opts: RequestOptions,
    accept: &'static str,
    rng: &mut Rng,
) -> Result<Prepared, String> {
    let api = inner.api;
    if let Some(reason) = req.error {
        return Err(reason);
    }
    let body = if opts.extra_body.is_empty() {
        req.body
    } else {
        merge_extra_body(req.body, &opts.extra_body)?
    };
    let (content_type, body) = match body.map(|b| b.encode(rng)).transpose()? {
        Some((content_type, bytes)) => (Some(content_type), Some(bytes)),
        None => (None, None),
    };

    let mut overrides = Vec::new();
    for (name, value) in &req.headers {
        overrides.push(headers::header(api, name, value)?);
    }
    for (name, value) in &opts.headers {
        overrides.push(headers::header(api, name, value)?);
    }
    let credentials = accepted_credentials(inner, req.security);
    let client_headers = match req.security {
        Some(_) => Some(Box::new(headers::client_headers(
            api,
            &inner.sources,
            &credentials,
        )?)),
        None => None,
    };
    let base_headers = client_headers.as_deref().unwrap_or(&inner.headers);
    let mut map = base_headers.for_request(accept, content_type.as_ref(), &overrides);
    if let Some(name) = &inner.idempotency_header {
        // One key per logical request: it goes into `overrides`, which every retry reuses.
        if !is_idempotent(&req.method) && !map.contains_key(name) {
            let key = opts
                .idempotency_key
                .unwrap_or_else(|| rng.idempotency_key());
            let value = headers::parse_value(name, &key, false)?;
            map.insert(name.clone(), value.clone());
            overrides.push((name.clone(), value));
        }
    }

    let mut url = match req.url {
        Some(url) => url,
        None => inner.base.join(&req.path)?,
    };
    let query_auth: Vec<(&'static str, Secret)> = credentials
        .iter()
        .filter_map(|(scheme, secret)| match scheme.location {
            AuthLocation::Query { name } => Some((name, secret.clone())),
            _ => None,
        })
        .collect();
    append_query(&mut url, &req.query, &opts.query, &query_auth);
    let required = match req.security {
        Some(alternatives) => {
            !api.auth.is_empty()
                && !alternatives.is_empty()
                && alternatives.iter().all(|a| !a.is_empty())
        }
        None => api.auth_required,
    };
    if required && credentials.is_empty() {
        check_caller_auth(inner, req.security, &map, &url)?;
    }

    let retry_header = base_headers
        .retry_slot
        .clone()
        .filter(|name| !overrides.iter().any(|(n, _)| n == name));
    Ok(Prepared {
        method: req.method,
        url,
        first_headers: Some(map),
        client_headers,
        accept,
        content_type,
        overrides,
        body,
        retry_header,
        timeout: opts.timeout.unwrap_or(inner.timeout),
        max_retries: opts.max_retries.unwrap_or(inner.max_retries),
    })
}

/// The configured credentials an operation with `security` accepts, in the order they are
/// applied (a later one in the same header wins): every one without `security`, else those of
/// the schemes it names, the first named last.
fn accepted_credentials(
    inner: &Inner,
    security: Option<Security>,
) -> Vec<&(&'static AuthScheme, Secret)> {
    let Some(alternatives) = security else {
        return inner.credentials.iter().collect();
    };
    let mut named: Vec<&str> = Vec::new();
    for name in alternatives.iter().flat_map(|a| a.iter()) {
        if !named.contains(name) {
            named.push(name);
        }
    }
    named
        .iter()
        .rev()
        .filter_map(|name| inner.credentials.iter().find(|(s, _)| s.name == *name))
        .collect()
}

/// The request's query parameters, the options' replacing those of the same name, then the
/// query credentials whose names neither gives.
fn append_query(
    url: &mut reqwest::Url,
    request: &[(std::borrow::Cow<'static, str>, String)],
    options: &[(String, String)],
    query_auth: &[(&'static str, Secret)],
) {
    if request.is_empty() && options.is_empty() && query_auth.is_empty() {
        return;
    }
    let mut pairs = url.query_pairs_mut();
    for (name, value) in request {
        if !options.iter().any(|(o, _)| o == name) {
            pairs.append_pair(name, value);
        }
    }
    for (name, value) in options {
        pairs.append_pair(name, value);
    }
    // A parameter of the operation (or the options) named like a query credential is the
    // caller's value for this call, as a request header wins over a header credential: sending
    // both would make the name a list (soundcloud's `client_id`, a parameter and a scheme).
    for (name, secret) in query_auth {
        let given =
            request.iter().any(|(n, _)| n == name) || options.iter().any(|(n, _)| n == name);
        if !given {
            pairs.append_pair(name, secret.expose());
        }
    }
}

/// With no credential configured that the operation accepts, the caller must have set one of
/// its schemes (all of the API's without `security`) themselves (a header, a query parameter or
/// a cookie); otherwise nothing is sent.
fn check_caller_auth(
    inner: &Inner,
    security: Option<Security>,
    map: &HeaderMap,
    url: &reqwest::Url,
) -> Result<(), String> {
    let api = inner.api;
    let accepted = |s: &&AuthScheme| match security {
        Some(alternatives) => alternatives.iter().any(|a| a.contains(&s.name)),
        None => true,
    };
    if !api.auth.iter().any(|s| accepted(&s)) {
        return Ok(());
    }
    let caller_set = api.auth.iter().filter(accepted).any(|s| match s.location {
        AuthLocation::Header { name, .. } => map.contains_key(name),
        AuthLocation::Query { name } => url.query_pairs().any(|(n, _)| n == name),
        AuthLocation::Cookie { name } => headers::has_cookie(map, name),
    });
    if caller_set {
        return Ok(());
    }
    let hints: Vec<String> = api
        .auth
        .iter()
        .filter(accepted)
        .map(|s| match s.env {
            Some(var) => format!("`{}` (`{}`, or {var})", s.name, s.setter),
            None => format!("`{}` (`{}`)", s.name, s.setter),
        })
        .collect();
    Err(format!(
        "no credential configured: set one of {}",
        hints.join(", ")
    ))
}

/// A transport failure as an [`Error`]; the URL (which may hold a query credential) is
/// dropped from it.
fn transport_error<E: ErrorEnvelope>(e: reqwest::Error, timeout: Duration) -> Error<E> {
    if e.is_timeout() {
        Error::Timeout { timeout }
    } else if e.is_builder() {
        Error::invalid(format!(
            "could not build the HTTP request: {}",
            e.without_url()
        ))
    } else {
        Error::Connection {
            source: Box::new(e.without_url()),
        }
    }
}

fn warn_if_insecure(inner: &Inner) {
    if let Some(host) = &inner.insecure_host {
        if !inner.insecure_warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                host = %host,
                "the base URL uses plain http:// to a host that is not loopback: \
                 credentials and data travel unencrypted"
            );
        }
    }
}

/// The attempt loop: send, classify, maybe wait and retry.
///
/// An `async` block, not an `async fn`: an `async fn` keeps each argument twice in its future
/// (the `Prepared` alone is half a kilobyte), and every byte of this future is allocated,
/// written and read once per request.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn would store its arguments twice"
)]
fn execute<'a, E: ErrorEnvelope, R: Reader<E> + Send + 'a>(
    inner: &'a Inner,
    mut p: Prepared,
    reader: R,
    mut rng: Rng,
    span: tracing::Span,
) -> impl Future<Output = Result<Response<R::Output>, Error<E>>> + Send + 'a {
    async move {
        warn_if_insecure(inner);
        let api = inner.api;
        // Only hooks see the URL as text; without hooks it is never formatted.
        let shown_url = if inner.hooks.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = inner
                .credentials
                .iter()
                .filter_map(|(scheme, _)| match scheme.location {
                    AuthLocation::Query { name } => Some(name),
                    _ => None,
                })
                .collect();
            redact_query(&p.url, &names)
        };
        let mut attempt: u32 = 0;
        loop {
            span.record("attempt", attempt);
            let mut headers = p.headers(inner, attempt);
            if !inner.hooks.is_empty() {
                let mut hook_request =
                    HookRequest::new(p.method.clone(), shown_url.clone(), attempt, headers, api);
                for hook in &inner.hooks {
                    hook.before_request(&mut hook_request)
                        .await
                        .map_err(|source| Error::Hook { source })?;
                }
                headers = hook_request.into_headers();
            }
            // In a block, so the future keeps only the `Pending`, not the request it was made of.
            let pending = {
                let mut request = reqwest::Request::new(p.method.clone(), p.url.clone());
                *request.headers_mut() = headers;
                if let Some(body) = &p.body {
                    *request.body_mut() = Some(reqwest::Body::from(body.clone()));
                }
                inner.http.execute(request)
            };
            let started = Instant::now();
            let sleep = pin!(tokio::time::sleep(p.timeout));
            let mut deadline = Deadline::new(sleep);
            let failure: Error<E> = 'attempt: {
                // A statement of its own: the response and the match's temporaries end here,
                // so the future does not keep them beside the body read.
                let (status, headers, collect) = match deadline.run(pending).await {
                    None => break 'attempt Error::Timeout { timeout: p.timeout },
                    Some(Err(e)) => break 'attempt transport_error(e, inner.connect_timeout),
                    Some(Ok(mut response)) => {
                        let status = response.status();
                        span.record("status", status.as_u16());
                        let headers = std::mem::take(response.headers_mut());
                        for hook in &inner.hooks {
                            hook.after_response(&HookResponse {
                                method: &p.method,
                                url: &shown_url,
                                attempt,
                                status,
                                headers: &headers,
                                elapsed: started.elapsed(),
                            });
                        }
                        // One body read for both outcomes, so the future holds one.
                        let take = if status.is_success() {
                            let request_id = header_request_id(&headers, api.request_id_header);
                            let ctx = read_ctx(status, &headers, request_id.as_deref(), p.timeout);
                            match reader.take(response, &ctx) {
                                Take::Kept(value) => {
                                    let response =
                                        Response::new(status, headers, request_id, attempt, value);
                                    return Ok(response);
                                }
                                Take::Read { response, limit } => {
                                    read::Collect::new(response, limit)
                                }
                            }
                        } else {
                            read::Collect::new(response, None)
                        };
                        (status, headers, take)
                    }
                };
                let read = deadline.run(collect).await;
                if !status.is_success() {
                    // The status is known: a body that breaks off leaves the error empty.
                    let body = read.and_then(Result::ok).unwrap_or_default();
                    break 'attempt Error::Api(Box::new(ApiError::from_response(
                        status, headers, body, api,
                    )));
                }
                match read {
                    Some(Ok(body)) => {
                        let request_id = header_request_id(&headers, api.request_id_header);
                        let ctx = read_ctx(status, &headers, request_id.as_deref(), p.timeout);
                        match reader.decode(body, &ctx) {
                            Ok(value) => {
                                return Ok(Response::new(
                                    status, headers, request_id, attempt, value,
                                ))
                            }
                            Err(e) => e,
                        }
                    }
                    Some(Err(e)) => transport_error(e, p.timeout),
                    None => Error::Timeout { timeout: p.timeout },
                }
            };
            let will_retry = failure.is_retryable() && attempt < p.max_retries;
            for hook in &inner.hooks {
                hook.after_error(&HookError {
                    method: &p.method,
                    url: &shown_url,
                    attempt,
                    error: &failure,
                    will_retry,
                });
            }
            if !will_retry {
                return Err(failure);
            }
            let delay = match &failure {
                Error::Api(e) => {
                    let delay = retry::retry_delay(
                        Some(e.headers()),
                        &api.retry,
                        attempt,
                        &mut rng,
                        inner.backoff_scale,
                    );
                    tracing::debug!(
                        status = e.status().as_u16(),
                        delay_ms = delay.as_millis() as u64,
                        "retrying after error status"
                    );
                    delay
                }
                other => {
                    let delay = retry::retry_delay(
                        None,
                        &api.retry,
                        attempt,
                        &mut rng,
                        inner.backoff_scale,
                    );
                    tracing::debug!(
                        error = %other,
                        delay_ms = delay.as_millis() as u64,
                        "retrying after transport error"
                    );
                    delay
                }
            };
            drop(failure);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

fn read_ctx<'a>(
    status: http::StatusCode,
    headers: &'a HeaderMap,
    request_id: Option<&'a str>,
    timeout: Duration,
) -> ReadCtx<'a> {
    ReadCtx {
        status,
        headers,
        request_id,
        timeout,
    }
}
