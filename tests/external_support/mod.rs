//! Shared by the tests that drive real third-party programs (Chromium, SimpleSAMLphp):
//! finding them, the rule for when they are missing, free ports, child processes that end
//! with the test, and the folder for artifacts.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The program `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Whether this run is CI's (`CI` set to anything but empty, `0` or `false`).
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// The programs `names`, or `None` after saying what to install. CI installs them (`.ci/run`),
/// so there a missing one is a failure, not a skip: a green run must mean the test ran.
pub fn require(test: &str, names: &[&str], packages: &str) -> Option<Vec<PathBuf>> {
    require_installed(test, names, &format!("apt-get install {packages}"))
}

/// Like [`require`], for programs that come from elsewhere than Debian's packages: `install`
/// is the whole instruction (`pip install pre-commit`).
pub fn require_installed(test: &str, names: &[&str], install: &str) -> Option<Vec<PathBuf>> {
    let found: Vec<Option<PathBuf>> = names.iter().map(|n| which(n)).collect();
    let missing: Vec<&str> = names
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(n, _)| *n)
        .collect();
    if missing.is_empty() {
        return Some(found.into_iter().flatten().collect());
    }
    missing_tools_hint(
        test,
        &format!("{} not found on PATH", missing.join(", ")),
        install,
    );
    None
}

/// Says that `test` cannot run here because of `what`, and how to fix it; on CI this fails
/// the test instead.
pub fn missing_tools(test: &str, what: &str, packages: &str) {
    missing_tools_hint(test, what, &format!("apt-get install {packages}"));
}

/// [`missing_tools`] with the whole install instruction.
pub fn missing_tools_hint(test: &str, what: &str, install: &str) {
    let message = format!("{test}: {what}: {install}");
    assert!(
        !on_ci(),
        "{message} (CI is set, and .ci/run installs them, so this is a failure)"
    );
    say(&format!("SKIPPED {message}"));
}

/// A line on the real stderr: libtest captures `eprintln!` of passing tests, and a skip must
/// be seen in a plain `cargo test`.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// A loopback port that was free a moment ago, for programs that must be told their port.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}

/// A child process that is killed and reaped when the test ends, however it ends.
#[derive(Debug)]
pub struct ChildGuard {
    pub child: Child,
    pub name: String,
}

impl ChildGuard {
    /// Starts `command` with stdin closed; stdout and stderr go to `log`.
    pub fn spawn(name: &str, command: &mut Command, log: &Path) -> std::io::Result<ChildGuard> {
        let out = std::fs::File::create(log)?;
        let err = out.try_clone()?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()?;
        Ok(ChildGuard {
            child,
            name: name.to_string(),
        })
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `url` answers at all over HTTP (any status), for at most `timeout`.
pub fn wait_http(url: &str, timeout: Duration, child: &mut ChildGuard) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    let deadline = Instant::now() + timeout;
    loop {
        if agent.get(url).call().is_ok() {
            return Ok(());
        }
        if !child.running() {
            return Err(format!("{} exited before answering {url}", child.name));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{} did not answer {url} within {timeout:?}",
                child.name
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `target/<name>`, kept after the run for CI to show (screenshots, logs).
pub fn artifacts_dir(name: &str) -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`; its parent honours CARGO_TARGET_DIR.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join(name);
    std::fs::create_dir_all(&dir).expect("create the artifacts folder");
    dir
}

/// The tail of a log file, for a failure message.
pub fn log_tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
