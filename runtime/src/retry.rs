//! Retry decisions and delays.
//!
//! Randomness for jitter and multipart boundaries comes from a tiny xorshift64* generator
//! seeded per call from the clock, a global counter and a stack address: jitter needs no
//! cryptographic quality, so no RNG crate is pulled in.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

use crate::api::RetryHeaders;

/// Longest delay honoured from a server hint.
pub(crate) const MAX_SERVER_DELAY: Duration = Duration::from_secs(60);

/// The API's should-retry header first, then 408, 409, 429 and >= 500.
pub(crate) fn should_retry(status: StatusCode, headers: &HeaderMap, hints: &RetryHeaders) -> bool {
    let hint = hints
        .should_retry
        .and_then(|name| headers.get(name))
        .and_then(|v| v.to_str().ok());
    if let Some(v) = hint {
        let v = v.trim();
        if v.eq_ignore_ascii_case("true") {
            return true;
        }
        if v.eq_ignore_ascii_case("false") {
            return false;
        }
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.as_u16() >= 500
}

/// Seconds (any float, possibly negative, huge or infinite) to a delay within 0..=60 s.
fn clamp_secs(secs: f64) -> Duration {
    if secs.is_nan() || secs <= 0.0 {
        Duration::ZERO
    } else if secs >= MAX_SERVER_DELAY.as_secs_f64() {
        MAX_SERVER_DELAY
    } else {
        Duration::from_secs_f64(secs)
    }
}

fn parse_float(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| !v.is_nan())
}

/// The server's requested delay: the API's milliseconds header (float ms), else `retry-after`
/// (float seconds, else an HTTP date minus `now`). The first that parses wins; clamped to
/// 0..=60 s.
pub(crate) fn server_delay(
    headers: &HeaderMap,
    retry_after_ms: Option<&str>,
    now: SystemTime,
) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(ms) = retry_after_ms.and_then(text).and_then(parse_float) {
        return Some(clamp_secs(ms / 1000.0));
    }
    let after = text("retry-after")?;
    if let Some(secs) = parse_float(after) {
        return Some(clamp_secs(secs));
    }
    let date = httpdate::parse_http_date(after.trim()).ok()?;
    Some(match date.duration_since(now) {
        Ok(d) => d.min(MAX_SERVER_DELAY),
        Err(_) => Duration::ZERO,
    })
}

/// `min(0.5 · 2^n, 8) s × (1 − 0.25·u)` for `u` in `[0, 1)`.
pub(crate) fn backoff(retry: u32, u: f64) -> Duration {
    let base = (0.5 * 2f64.powi(retry.min(16) as i32)).min(8.0);
    let jitter = 1.0 - 0.25 * u.clamp(0.0, 1.0);
    Duration::from_secs_f64(base * jitter)
}

/// The delay before retry number `retry` (0-based).
pub(crate) fn retry_delay(
    headers: Option<&HeaderMap>,
    hints: &RetryHeaders,
    retry: u32,
    rng: &mut Rng,
    scale: f64,
) -> Duration {
    let delay = headers
        .and_then(|h| server_delay(h, hints.retry_after_ms, SystemTime::now()))
        .unwrap_or_else(|| backoff(retry, rng.next_f64()));
    scale_delay(delay, scale)
}

fn scale_delay(delay: Duration, scale: f64) -> Duration {
    if scale == 1.0 {
        return delay;
    }
    let secs = delay.as_secs_f64() * scale;
    if secs.is_nan() || secs <= 0.0 {
        Duration::ZERO
    } else {
        Duration::from_secs_f64(secs.min(MAX_SERVER_DELAY.as_secs_f64()))
    }
}

/// xorshift64* — small, fast, not cryptographic.
pub(crate) struct Rng(u64);

impl Rng {
    /// Seed from the clock, a global counter and a stack address.
    pub(crate) fn new() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let local = 0u8;
        let addr = std::ptr::addr_of!(local) as usize as u64;
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        // splitmix64 finaliser to spread the seed bits
        let mut z = nanos ^ addr.rotate_left(32) ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    /// A generator seeded on first use: most requests never draw a number (no retry, no
    /// multipart body, no idempotency key), so they skip reading the clock.
    pub(crate) fn lazy() -> Self {
        Rng(0)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        if self.0 == 0 {
            *self = Rng::new();
        }
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `forge-` and 32 hex digits: an idempotency key. Unguessability is not the point (the
    /// key only has to differ between logical requests), so this generator is enough.
    pub(crate) fn idempotency_key(&mut self) -> String {
        format!("forge-{:016x}{:016x}", self.next_u64(), self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.insert(*n, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    const HINTS: RetryHeaders = RetryHeaders {
        should_retry: Some("x-should-retry"),
        retry_after_ms: Some("retry-after-ms"),
    };

    fn delay(pairs: &[(&'static str, &str)]) -> Option<Duration> {
        server_delay(&headers(pairs), HINTS.retry_after_ms, SystemTime::now())
    }

    #[test]
    fn retry_after_ms_float() {
        assert_eq!(
            delay(&[("retry-after-ms", "1500.5")]),
            Some(Duration::from_micros(1_500_500))
        );
    }

    #[test]
    fn retry_after_ms_wins_over_retry_after() {
        assert_eq!(
            delay(&[("retry-after-ms", "10"), ("retry-after", "5")]),
            Some(Duration::from_millis(10))
        );
    }

    #[test]
    fn garbage_retry_after_ms_falls_through_to_retry_after() {
        assert_eq!(
            delay(&[("retry-after-ms", "soon"), ("retry-after", "2")]),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn retry_after_float_seconds() {
        assert_eq!(
            delay(&[("retry-after", "0.25")]),
            Some(Duration::from_millis(250))
        );
    }

    #[test]
    fn retry_after_zero_is_honoured() {
        assert_eq!(delay(&[("retry-after", "0")]), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_http_date() {
        let now = SystemTime::now();
        let future = now + Duration::from_secs(30);
        let h = headers(&[("retry-after", &httpdate::fmt_http_date(future))]);
        let d = server_delay(&h, None, now).unwrap();
        assert!(
            d <= Duration::from_secs(30) && d >= Duration::from_secs(28),
            "{d:?}"
        );
    }

    #[test]
    fn past_http_date_is_zero() {
        assert_eq!(
            delay(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn far_future_http_date_clamps_to_60s() {
        assert_eq!(
            delay(&[("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT")]),
            Some(MAX_SERVER_DELAY)
        );
    }

    #[test]
    fn huge_and_negative_values_clamp() {
        assert_eq!(delay(&[("retry-after", "1e300")]), Some(MAX_SERVER_DELAY));
        assert_eq!(
            delay(&[("retry-after", "99999999999999999999999")]),
            Some(MAX_SERVER_DELAY)
        );
        assert_eq!(delay(&[("retry-after-ms", "inf")]), Some(MAX_SERVER_DELAY));
        assert_eq!(delay(&[("retry-after", "-5")]), Some(Duration::ZERO));
        assert_eq!(delay(&[("retry-after-ms", "-1e300")]), Some(Duration::ZERO));
    }

    #[test]
    fn garbage_gives_no_server_delay() {
        assert_eq!(delay(&[("retry-after", "later")]), None);
        assert_eq!(delay(&[("retry-after-ms", "NaN")]), None);
        assert_eq!(delay(&[("retry-after", "")]), None);
        assert_eq!(delay(&[]), None);
    }

    #[test]
    fn backoff_schedule_and_jitter() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(0, 1.0), Duration::from_millis(375));
        assert_eq!(backoff(1, 0.0), Duration::from_secs(1));
        assert_eq!(backoff(2, 0.0), Duration::from_secs(2));
        assert_eq!(backoff(4, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(5, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(u32::MAX, 0.0), Duration::from_secs(8));
        let mut rng = Rng::new();
        for _ in 0..1000 {
            let d = retry_delay(None, &HINTS, 0, &mut rng, 1.0);
            assert!(
                d > Duration::from_millis(375) && d <= Duration::from_millis(500),
                "{d:?}"
            );
        }
    }

    #[test]
    fn a_lazy_generator_seeds_itself() {
        let (mut a, mut b) = (Rng::lazy(), Rng::lazy());
        assert_ne!(a.next_u64(), b.next_u64());
        assert_ne!(a.0, 0);
    }

    #[test]
    fn rng_is_uniform_enough() {
        let mut rng = Rng::new();
        let n = 10_000;
        let mean: f64 = (0..n).map(|_| rng.next_f64()).sum::<f64>() / n as f64;
        assert!((0.45..0.55).contains(&mean), "{mean}");
        assert!((0..n).all(|_| (0.0..1.0).contains(&rng.next_f64())));
    }

    #[test]
    fn should_retry_rules() {
        let none = HeaderMap::new();
        for code in [408, 409, 429, 500, 502, 503, 529, 599] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(should_retry(status, &none, &HINTS), "{code}");
        }
        for code in [400, 401, 403, 404, 413, 422, 200, 302] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(!should_retry(status, &none, &HINTS), "{code}");
        }
        let yes = headers(&[("x-should-retry", "true")]);
        let no = headers(&[("x-should-retry", "false")]);
        assert!(should_retry(StatusCode::BAD_REQUEST, &yes, &HINTS));
        assert!(!should_retry(
            StatusCode::INTERNAL_SERVER_ERROR,
            &no,
            &HINTS
        ));
        let maybe = headers(&[("x-should-retry", "maybe")]);
        assert!(should_retry(
            StatusCode::INTERNAL_SERVER_ERROR,
            &maybe,
            &HINTS
        ));
        // An API without the header: the same header means nothing.
        let plain = RetryHeaders::default();
        assert!(!should_retry(StatusCode::BAD_REQUEST, &yes, &plain));
        assert!(should_retry(StatusCode::INTERNAL_SERVER_ERROR, &no, &plain));
    }

    #[test]
    fn retry_after_ms_only_under_the_apis_name() {
        let h = headers(&[("retry-after-ms", "10"), ("retry-after", "2")]);
        let now = SystemTime::now();
        assert_eq!(server_delay(&h, None, now), Some(Duration::from_secs(2)));
        let h = headers(&[("x-wait-ms", "10")]);
        assert_eq!(
            server_delay(&h, Some("x-wait-ms"), now),
            Some(Duration::from_millis(10))
        );
    }

    #[test]
    fn idempotency_keys_differ_and_have_the_shape() {
        let mut rng = Rng::new();
        let (a, b) = (rng.idempotency_key(), rng.idempotency_key());
        assert_ne!(a, b);
        for key in [a, b] {
            let hex = key.strip_prefix("forge-").unwrap();
            assert_eq!(hex.len(), 32);
            assert!(hex.bytes().all(|c| c.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn scale_never_panics() {
        for s in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300, 0.001] {
            let _ = scale_delay(Duration::from_secs(60), s);
        }
        assert_eq!(
            scale_delay(Duration::from_secs(10), 0.001),
            Duration::from_millis(10)
        );
    }
}
