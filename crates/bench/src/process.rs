//! The processes a run starts and measures: a server, waited for until it answers, its
//! memory read from /proc, stopped when dropped.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A started server, killed when dropped.
pub struct Server {
    pub base: String,
    child: Child,
}

impl Server {
    /// Starts `command` (its output to `log`) and waits until `ready_path` answers on `port`.
    pub async fn start(
        name: &str,
        mut command: Command,
        port: u16,
        ready: &str,
        log: &Path,
    ) -> Result<Server, String> {
        let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let errors = file.try_clone().map_err(|e| e.to_string())?;
        let child = command
            .stdout(Stdio::from(file))
            .stderr(Stdio::from(errors))
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        let mut server = Server {
            base: format!("http://127.0.0.1:{port}"),
            child,
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "{name} exited with {status} before answering; see {}",
                    log.display()
                ));
            }
            let answered = match ready {
                // PostGraphile answers GraphQL only.
                "/graphql" => client
                    .post(format!("{}{ready}", server.base))
                    .header("content-type", "application/json")
                    .body(r#"{"query":"{ __typename }"}"#)
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success()),
                _ => client
                    .get(format!("{}{ready}", server.base))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success()),
            };
            if answered {
                return Ok(server);
            }
            if started.elapsed() > Duration::from_secs(60) {
                server.stop();
                return Err(format!("{name} did not answer within 60 s"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now and at its peak, in MiB (VmRSS and VmHWM of /proc/PID/status).
    pub fn memory(&self) -> (f64, f64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let read = |key: &str| {
            status
                .lines()
                .find(|line| line.starts_with(key))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
                .map_or(0.0, |kib| kib / 1024.0)
        };
        (read("VmRSS:"), read("VmHWM:"))
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Runs a command to its end; its wall time, or its output when it fails.
pub fn timed(mut command: Command, what: &str) -> Result<Duration, String> {
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(started.elapsed())
}
