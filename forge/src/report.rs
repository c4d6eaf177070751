//! Helpers every report shares: aligned Markdown tables, numbers and durations for people, the
//! date and a one-line description of the machine.

use std::fmt::Write as _;
use std::fs;
use std::process::Command;
use std::time::{Duration, SystemTime};

/// A Markdown table padded so that it is aligned as plain text too; `numeric` columns are
/// right-aligned.
pub fn markdown_table(header: &[&str], rows: &[Vec<String>], numeric: &[bool]) -> String {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
            .chain([header[i].chars().count(), 3])
            .max()
            .unwrap_or(3)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let right = |i: usize| numeric.get(i).copied().unwrap_or(false);
    let line = |cells: &mut dyn Iterator<Item = (usize, String)>| {
        let mut out = String::from("|");
        for (i, cell) in cells {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if right(i) {
                let _ = write!(out, " {}{cell} |", " ".repeat(pad));
            } else {
                let _ = write!(out, " {cell}{} |", " ".repeat(pad));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(&mut header.iter().map(|h| h.to_string()).enumerate());
    out.push_str(&line(&mut (0..header.len()).map(|i| {
        let dashes = "-".repeat(widths[i] - 1);
        (
            i,
            if right(i) {
                format!("{dashes}:")
            } else {
                format!("{dashes}-")
            },
        )
    })));
    for row in rows {
        out.push_str(&line(
            &mut (0..header.len()).map(|i| (i, row.get(i).cloned().unwrap_or_default())),
        ));
    }
    out
}

/// `1,234`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `850 ms`, `12.3 s`, `4m05s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        let s = d.as_secs();
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

/// The progress tag of the `index`-th (from 0) of `total` items named `name`:
/// `[ 3/162] petstore.yaml`, the count padded so the names line up.
pub fn progress_tag(index: usize, total: usize, name: &str) -> String {
    format!(
        "[{:>width$}/{total}] {name}",
        index + 1,
        width = total.to_string().len()
    )
}

/// `1 file`, `3 files`, `1,234 lines`.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// The `YYYY-MM-DD` of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
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

/// A one-line description of this machine: CPU, cores, memory, OS, toolchain.
pub fn machine() -> String {
    let mut parts = Vec::new();
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    if let Some(model) = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
    {
        parts.push(model.1.trim().to_owned());
    }
    if let Ok(n) = std::thread::available_parallelism() {
        parts.push(format!("{n} cores available"));
    }
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    if let Some(kb) = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<u64>().ok())
    {
        parts.push(format!("{} GiB RAM", (kb + (1 << 19)) >> 20));
    }
    parts.push(format!(
        "{}-{}",
        std::env::consts::ARCH,
        std::env::consts::OS
    ));
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if let Ok(out) = Command::new(rustc).arg("--version").output() {
        let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !version.is_empty() {
            parts.push(version);
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(-1), "1969-12-31");
    }

    #[test]
    fn progress_tags_line_up() {
        assert_eq!(progress_tag(2, 162, "a.json"), "[  3/162] a.json");
        assert_eq!(progress_tag(0, 3, "b.yaml"), "[1/3] b.yaml");
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "line"), "0 lines");
        assert_eq!(plural(1_234_567, "line"), "1,234,567 lines");
        assert_eq!(duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(duration(Duration::from_millis(12_340)), "12.3 s");
        assert_eq!(duration(Duration::from_secs(245)), "4m05s");
    }

    #[test]
    fn tables_align_numbers_right() {
        let t = markdown_table(
            &["a", "n"],
            &[vec!["x".into(), "10".into()]],
            &[false, true],
        );
        assert_eq!(t, "| a   |   n |\n| --- | --: |\n| x   |  10 |\n");
    }
}
