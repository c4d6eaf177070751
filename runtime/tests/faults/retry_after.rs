//! `retry-after`: every value bounded to 0..=60 s, attempts exactly as the policy says.

use super::*;

// ---------------------------------------------------------------------------------------------
// retry-after: every value bounded to 0..=60 s, attempts exactly as the policy says
// ---------------------------------------------------------------------------------------------

/// What delay a header should produce, read from the client's own `delay_ms` log field with
/// delays scaled by `SCALE` (so 60 s shows as 600 ms).
#[derive(Debug, Clone, Copy)]
enum Want {
    /// The 60 s cap.
    Capped,
    /// No wait.
    Zero,
    /// The server value was unusable: the exponential backoff.
    Backoff,
    /// Honoured as given, in scaled milliseconds.
    Ms(u64),
}

const SCALE: f64 = 0.01;

fn check_delay(want: Want, retry: usize, got: u64) -> bool {
    match want {
        // 60 s × 0.01 is 0.6 s, or a hair under it in floating point.
        Want::Capped => (599..=600).contains(&got),
        Want::Zero => got == 0,
        // retry n: (0.75, 1] × 0.5·2ⁿ s, scaled: (3.75, 5] ms, then (7.5, 10] ms.
        Want::Backoff => match retry {
            0 => (3..=5).contains(&got),
            _ => (7..=10).contains(&got),
        },
        Want::Ms(ms) => got + 1 >= ms && got <= ms,
    }
}

/// Runs one 429-forever server with `header` on its own thread (own runtime, own log) and
/// returns (requests seen, delays chosen, final error).
fn run_retry_after_case(header: &'static [u8]) -> (usize, Vec<u64>, Error) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let (log, _guard) = capture();
        let server = counted(move |_, mut stream| async move {
            let mut out = b"HTTP/1.1 429 Too Many Requests\r\n".to_vec();
            out.extend_from_slice(header);
            out.extend_from_slice(b"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            write(&mut stream, out).await;
        })
        .await;
        let client = common::builder(&server.server.url)
            .backoff_scale(SCALE)
            .build()
            .unwrap();
        let err = guard(get_json(&client, &RequestOptions::new()))
            .await
            .unwrap_err();
        (server.requests(), delays_ms(&log.text()), err)
    })
}

#[test]
fn hostile_retry_after_values_are_bounded_and_attempts_follow_the_policy() {
    let cases: &[(&[u8], Want)] = &[
        (b"retry-after: 999999999999", Want::Capped),
        (b"retry-after: 1e308", Want::Capped),
        (b"retry-after: 61", Want::Capped),
        (b"retry-after: inf", Want::Capped),
        (b"retry-after: Infinity", Want::Capped),
        (b"retry-after: Fri, 31 Dec 9999 23:59:59 GMT", Want::Capped),
        (b"retry-after-ms: 1e308", Want::Capped),
        (
            b"retry-after-ms: 99999999999999999999999999999999",
            Want::Capped,
        ),
        (b"retry-after-ms: 1e308\r\nretry-after: 0", Want::Capped),
        (b"retry-after: -5", Want::Zero),
        (b"retry-after: -1e308", Want::Zero),
        (b"retry-after: -inf", Want::Zero),
        (b"retry-after: 7e-400", Want::Zero),
        (b"retry-after-ms: -1", Want::Zero),
        (b"retry-after: NaN", Want::Backoff),
        (b"retry-after: nan", Want::Backoff),
        (b"retry-after-ms: NaN", Want::Backoff),
        (b"retry-after: soon", Want::Backoff),
        (b"retry-after: 5 seconds", Want::Backoff),
        (b"retry-after: 0x10", Want::Backoff),
        (b"retry-after: 1_000", Want::Backoff),
        (b"retry-after:", Want::Backoff),
        (b"retry-after: \xff\xfe", Want::Backoff),
        (b"retry-after: 30", Want::Ms(300)),
        (b"retry-after-ms: 12500", Want::Ms(125)),
        (b"retry-after-ms: nope\r\nretry-after: 20", Want::Ms(200)),
    ];
    let handles: Vec<_> = cases
        .iter()
        .map(|&(header, want)| {
            (
                header,
                want,
                std::thread::spawn(move || run_retry_after_case(header)),
            )
        })
        .collect();
    let mut failures = Vec::new();
    for (header, want, handle) in handles {
        let (requests, delays, err) = handle.join().unwrap();
        let shown = String::from_utf8_lossy(header).replace("\r\n", " + ");
        let ok = requests == 3
            && delays.len() == 2
            && delays
                .iter()
                .enumerate()
                .all(|(i, d)| check_delay(want, i, *d))
            && err.api_error().map(|a| a.kind()) == Some(ApiErrorKind::RateLimit);
        if !ok {
            failures.push(format!(
                "{shown}: want {want:?}, got {requests} requests, delays {delays:?} ms, {err}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn capture_helper_reads_delays() {
    // The parser the table relies on.
    let log = "DEBUG request: forge_runtime::client: retrying after error status status=429 delay_ms=599\n\
               DEBUG x: other delay_ms=1\n\
               DEBUG request: retrying after transport error error=e delay_ms=0\n";
    assert_eq!(delays_ms(log), vec![599, 0]);
    let mut b = Buf::default();
    b.write_all(b"abc").unwrap();
    assert_eq!(b.text(), "abc");
}
