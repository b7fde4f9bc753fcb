//! What the bench reads about its own process and the machine (Linux
//! `/proc`), and small timing helpers.

use std::time::{Duration, Instant};

/// Prints `msg` and exits non-zero: the bench cannot go on.
pub fn fail(msg: &str) -> ! {
    eprintln!("stackql-bench: {msg}");
    std::process::exit(1)
}

/// Seconds, for printing.
pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The value of `f` and the wall time it took.
pub fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// CPU time (user + system, all threads) of this process so far.
pub fn cpu_now() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    // utime + stime in clock ticks (USER_HZ, 100 on Linux).
    Duration::from_millis(f.iter().sum::<u64>() * 10)
}

/// The load average over 1, 5 and 15 minutes.
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The value of the first line of `/proc/<file>` named `key` (the text
/// after its `:`, trimmed).
fn proc_value(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{file}")).ok()?;
    let (_, value) = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim() == key)?;
    Some(value.trim().to_string())
}

/// The CPU model name.
pub fn cpu_model() -> String {
    proc_value("cpuinfo", "model name").unwrap_or_else(|| "unknown".into())
}

/// The median of `v` (not empty).
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// `ok` or `MISSED`, for a target.
pub fn ok(pass: bool) -> &'static str {
    if pass {
        "ok"
    } else {
        "MISSED"
    }
}

/// Peak resident set size of this process (VmHWM), in MB.
pub fn peak_mb() -> f64 {
    proc_value("self/status", "VmHWM")
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Whether `path` (relative to a generated crate) is a resource module:
/// `src/<provider>/<service>/<resource>.rs`.
pub fn is_resource_file(path: &str) -> bool {
    path.starts_with("src/")
        && path.ends_with(".rs")
        && !path.ends_with("/mod.rs")
        && path.matches('/').count() == 3
}
