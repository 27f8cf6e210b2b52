//! Load from `wrk` with the query's Lua script (`tools/bench/wrk/`), read back from the
//! `RESULT` line the script prints.

use std::path::Path;
use std::process::Command;

/// One wrk run's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Load {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Answers that were not a 200 without `errors`, and socket errors.
    pub failed: u64,
}

/// What to load: a server's address and path, the script and the request body's file.
pub struct Target<'a> {
    pub base: &'a str,
    pub path: &'a str,
    pub script: &'a Path,
    pub body_file: &'a Path,
}

/// Runs wrk for `seconds` with `connections` (threads: two at most, the machine is small).
pub fn run(target: &Target<'_>, connections: u32, seconds: u32) -> Result<Load, String> {
    let threads = connections.min(2);
    let output = Command::new("wrk")
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(target.script)
        .arg(target.base)
        .env("BENCH_PATH", target.path)
        .env("BENCH_QUERY_FILE", target.body_file)
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find(|line| line.starts_with("RESULT "))
        .ok_or_else(|| {
            format!(
                "wrk printed no RESULT line: {text}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    let field = |name: &str| -> f64 {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .and_then(|value| value.parse().ok())
            .unwrap_or(0.0)
    };
    let load = Load {
        requests_per_second: field("rps"),
        p50_ms: field("p50_ms"),
        p99_ms: field("p99_ms"),
        failed: field("failed") as u64,
    };
    if load.failed > 0 {
        let sample = text
            .lines()
            .find(|line| line.starts_with("FAILED_SAMPLE"))
            .unwrap_or("");
        return Err(format!(
            "{} of the answers from {}{} failed: {sample}",
            load.failed, target.base, target.path
        ));
    }
    Ok(load)
}
