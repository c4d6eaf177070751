//! The run's date and the machine it ran on: forge's report helpers, plus the load average a
//! benchmark needs beside them.

use std::time::SystemTime;

pub use forge::report::today;

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// forge's machine line, then the load average at the start (`… load average 1.06 at the start`).
pub fn machine() -> String {
    let mut line = forge::report::machine();
    if let Some(load) = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
    {
        line.push_str(&format!(
            ", load average {load} at the start (other work on the machine skews absolute figures, less so the ratios)"
        ));
    }
    line
}
