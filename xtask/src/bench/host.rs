//! The run's date and the machine it ran on.

use std::process::Command;
use std::time::SystemTime;

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Today's date, UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    // Howard Hinnant's `civil_from_days`.
    let z = (now_ms() / 86_400_000) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `nproc 2, rustc 1.x, CPU, RAM, load average at the start`.
pub fn machine() -> String {
    let mut parts = Vec::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    parts.push(format!("nproc {cores}"));
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if let Ok(out) = Command::new(rustc).arg("--version").output() {
        let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !version.is_empty() {
            parts.push(version);
        }
    }
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    if let Some((_, model)) = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
    {
        parts.push(model.trim().to_owned());
    }
    parts.push(format!(
        "{}-{}",
        std::env::consts::ARCH,
        std::env::consts::OS
    ));
    if let Some(load) = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
    {
        parts.push(format!(
            "load average {load} at the start (other work on the machine skews absolute figures, less so the ratios)"
        ));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::today().len(), 10);
    }
}
