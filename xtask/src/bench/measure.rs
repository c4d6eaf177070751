//! Timing and memory helpers: medians, repeated samples, a child's peak RSS, and the number
//! formats of the report.

use std::io;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// The median of `values`; `NaN` for none.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The median time of one call of `f` over `samples` samples. A sample repeats `f` until it
/// has run for about 20 ms (at most 1,000 times), so that fast calls are not lost in the
/// timer's noise. Unless `warm` gives the time of a warm-up call already made, the first call
/// is a warm-up and is not counted.
pub fn median_secs<T>(samples: usize, warm: Option<f64>, mut f: impl FnMut() -> T) -> f64 {
    let first = warm.unwrap_or_else(|| {
        let start = Instant::now();
        std::hint::black_box(f());
        start.elapsed().as_secs_f64()
    });
    let first = first.max(1e-9);
    let reps = ((0.02 / first).ceil() as usize).clamp(1, 1000);
    let times: Vec<f64> = (0..samples.max(1))
        .map(|_| {
            let start = Instant::now();
            for _ in 0..reps {
                std::hint::black_box(f());
            }
            start.elapsed().as_secs_f64() / reps as f64
        })
        .collect();
    median(&times)
}

/// Waits for `child` and returns its exit status, how long it ran since `started`, and its
/// peak resident set size in KiB: `ru_maxrss` of the rusage `wait4(2)` returns for that child,
/// which covers the child and the children it waited for.
pub fn wait_with_peak(
    child: Child,
    started: Instant,
) -> io::Result<(ExitStatus, Duration, Option<u64>)> {
    imp::wait(child, started).map(|(status, elapsed, kib, _)| (status, elapsed, kib))
}

/// Waits for `child` and returns its exit status, how long it ran since `started`, and the CPU
/// time (user + system, s) of the child and the children it waited for (for `cargo check`,
/// the rustc processes): a figure that other work on the machine disturbs less than wall time.
pub fn wait_with_cpu(
    child: Child,
    started: Instant,
) -> io::Result<(ExitStatus, Duration, Option<f64>)> {
    imp::wait(child, started).map(|(status, elapsed, _, cpu)| (status, elapsed, cpu))
}

#[cfg(unix)]
mod imp {
    use std::io;
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Child, ExitStatus};
    use std::time::{Duration, Instant};

    pub fn wait(
        child: Child,
        started: Instant,
    ) -> io::Result<(ExitStatus, Duration, Option<u64>, Option<f64>)> {
        let pid = child.id() as libc::pid_t;
        let mut status: libc::c_int = 0;
        // SAFETY: `rusage` is plain old data, so all zeroes is a valid value.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        loop {
            // SAFETY: `pid` is our own child, not yet waited for (`Child::wait` is never
            // called on it); `status` and `usage` are valid for writes.
            let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            if r == pid {
                break;
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
        let elapsed = started.elapsed();
        // Linux reports KiB; macOS, bytes.
        let maxrss = usage.ru_maxrss.max(0) as u64;
        let kib = if cfg!(target_os = "macos") {
            maxrss / 1024
        } else {
            maxrss
        };
        let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
        Ok((ExitStatus::from_raw(status), elapsed, Some(kib), Some(cpu)))
    }
}

#[cfg(not(unix))]
mod imp {
    use std::io;
    use std::process::{Child, ExitStatus};
    use std::time::{Duration, Instant};

    pub fn wait(
        mut child: Child,
        started: Instant,
    ) -> io::Result<(ExitStatus, Duration, Option<u64>, Option<f64>)> {
        let status = child.wait()?;
        Ok((status, started.elapsed(), None, None))
    }
}

/// Three significant digits: `0.8 µs`, `564 µs`, `12.3 ms`, `4.56 s`, `1m 12s`.
pub fn secs(s: f64) -> String {
    let three = |v: f64, unit: &str| {
        if v < 100.0 {
            format!("{v:.1} {unit}")
        } else {
            format!("{v:.0} {unit}")
        }
    };
    if !s.is_finite() {
        "-".to_owned()
    } else if s < 1e-3 {
        three(s * 1e6, "µs")
    } else if s < 1.0 {
        three(s * 1e3, "ms")
    } else if s < 100.0 {
        format!("{s:.2} s")
    } else {
        let whole = s.round() as u64;
        format!("{}m {:02}s", whole / 60, whole % 60)
    }
}

/// `2.7 KB`, `4.2 MB` (decimal units).
pub fn bytes(b: f64) -> String {
    if b < 1e3 {
        format!("{b:.0} B")
    } else if b < 1e6 {
        format!("{:.1} KB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.2} GB", b / 1e9)
    }
}

/// `12,345` or `1.23 M` for large rates.
pub fn rate(r: f64) -> String {
    if !r.is_finite() {
        "-".to_owned()
    } else if r >= 1e6 {
        format!("{:.2} M", r / 1e6)
    } else {
        let n = r.round() as u64;
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

/// `3.2x`, `1.04x`, `250x`.
pub fn ratio(r: f64) -> String {
    if !r.is_finite() {
        "-".to_owned()
    } else if r < 10.0 {
        format!("{r:.2}x")
    } else if r < 100.0 {
        format!("{r:.1}x")
    } else {
        format!("{r:.0}x")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn formats() {
        assert_eq!(secs(0.000_8), "800 µs");
        assert_eq!(secs(0.000_012_34), "12.3 µs");
        assert_eq!(secs(0.1443), "144 ms");
        assert_eq!(secs(0.0123), "12.3 ms");
        assert_eq!(secs(4.561), "4.56 s");
        assert_eq!(secs(72.0), "72.00 s");
        assert_eq!(secs(432.0), "7m 12s");
        assert_eq!(secs(119.6), "2m 00s");
        assert_eq!(bytes(2772.0), "2.8 KB");
        assert_eq!(bytes(4_164_836.0), "4.2 MB");
        assert_eq!(rate(27_114.4), "27,114");
        assert_eq!(rate(999.0), "999");
        assert_eq!(rate(1_234_567.0), "1.23 M");
        assert_eq!(ratio(1.0412), "1.04x");
        assert_eq!(ratio(24.04), "24.0x");
        assert_eq!(ratio(812.0), "812x");
    }
}
