//! Processes a test left running. Everything a test starts inherits its environment, so a
//! marker variable set on the test's command finds whatever outlived it (unless a process
//! cleared its environment on purpose, as the stack's daemons do). Linux only: `/proc`.

use std::time::{Duration, Instant};

/// A process still running after the test that started it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leftover {
    pub pid: u32,
    pub command: String,
}

/// The processes with `key=value` still running after `grace`: a process its test killed
/// as that test ended may take a moment to go (a server's process group, SIGKILLed at the
/// end of a failed chapter), and is not a leftover.
pub fn still_running_after(key: &str, value: &str, grace: Duration) -> Vec<Leftover> {
    let deadline = Instant::now() + grace;
    let mut left = find(key, value);
    while !left.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        left = find(key, value);
    }
    left
}

/// Every live process whose environment holds `key=value`, this process excepted.
pub fn find(key: &str, value: &str) -> Vec<Leftover> {
    let marker = format!("{key}={value}");
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let mut found: Vec<Leftover> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != me && is_alive(*pid))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == marker.as_bytes()))
        })
        .map(|pid| Leftover { pid, command: command_line(pid) })
        .collect();
    found.sort_by_key(|l| l.pid);
    found
}

fn command_line(pid: u32) -> String {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let text: Vec<String> =
        raw.split(|b| *b == 0).filter(|a| !a.is_empty()).map(|a| String::from_utf8_lossy(a).into()).collect();
    text.join(" ")
}

/// Ends them: TERM, then KILL what is still there after `grace`.
pub fn end(leftovers: &[Leftover], grace: Duration) {
    let signal = |name: &str, pids: &[u32]| {
        let pids: Vec<String> = pids.iter().map(u32::to_string).collect();
        let _ = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .args(&pids)
            .stderr(std::process::Stdio::null())
            .status();
    };
    let pids: Vec<u32> = leftovers.iter().map(|l| l.pid).collect();
    if pids.is_empty() {
        return;
    }
    signal("TERM", &pids);
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline && pids.iter().any(|p| is_alive(*p)) {
        std::thread::sleep(Duration::from_millis(50));
    }
    signal("KILL", &pids);
}

/// Running, and not a zombie or on its way out. Also the harness's test of a server it
/// stops.
pub fn is_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        let state = s.rsplit(')').next().and_then(|r| r.trim_start().chars().next());
        !matches!(state, Some('Z' | 'X' | 'x'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_with_the_marker_is_found_and_ended() {
        let value = format!("leftovers-test-{}", std::process::id());
        let mut child =
            std::process::Command::new("sleep").arg("30").env("QS_LEFTOVER_TEST", &value).spawn().unwrap();
        // Until the child has exec'd, /proc shows this process's environment.
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut found = find("QS_LEFTOVER_TEST", &value);
        while found.is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            found = find("QS_LEFTOVER_TEST", &value);
        }
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pid, child.id());
        assert_eq!(found[0].command, "sleep 30");
        end(&found, Duration::from_secs(2));
        child.wait().unwrap();
        assert!(find("QS_LEFTOVER_TEST", &value).is_empty());
    }
}
