//! Just enough of the W3C WebDriver protocol to look at the built book in a real browser:
//! Debian's `chromium` driven by its `chromedriver`, over the workspace's one HTTP client.
//! A session per browser configuration (JavaScript on or off); everything else is
//! JavaScript run in the page.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A running chromedriver, stopped when dropped.
pub struct Driver {
    child: Child,
    url: String,
    http: reqwest::blocking::Client,
}

impl Driver {
    /// Starts `chromedriver` on a free local port and waits until it is ready.
    pub fn start() -> Result<Driver, String> {
        let port = free_port()?;
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("starting chromedriver: {e} (scripts/test installs Debian's chromium-driver)")
            })?;
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| e.to_string())?;
        let driver = Driver { child, url: format!("http://127.0.0.1:{port}"), http };
        let ready = || {
            let status = driver.http.get(format!("{}/status", driver.url)).send().ok();
            status.and_then(|r| r.json::<Value>().ok()).is_some_and(|v| v["value"]["ready"] == true)
        };
        if !within_10_s(ready) {
            return Err("chromedriver did not become ready within 10 s".into());
        }
        Ok(driver)
    }

    /// A headless Chromium at `width`×900, with JavaScript on or off, logging the console.
    pub fn session(&self, width: u32, javascript: bool) -> Result<Session<'_>, String> {
        let mut options = json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     format!("--window-size={width},900")],
        });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": { "browser": "ALL" },
        }}});
        let value = self.call("POST", "/session", Some(capabilities))?;
        let id = value["sessionId"].as_str().ok_or_else(|| format!("no session id in {value}"))?;
        Ok(Session { driver: self, id: id.to_string() })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.url);
        let request = match method {
            "POST" => self.http.post(&url).json(&body.unwrap_or(json!({}))),
            "DELETE" => self.http.delete(&url),
            _ => self.http.get(&url),
        };
        let response = request.send().map_err(|e| format!("{method} {path}: {e}"))?;
        let value: Value = response.json().map_err(|e| format!("{method} {path}: {e}"))?;
        if let Some(error) = value["value"]["error"].as_str() {
            return Err(format!("{method} {path}: {error}: {}", value["value"]["message"]));
        }
        Ok(value["value"].clone())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser; closed when dropped.
pub struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        self.driver.call(method, &format!("/session/{}{path}", self.id), body)
    }

    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.call("POST", "/url", Some(json!({ "url": url }))).map(|_| ())
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns what it returns.
    pub fn run(&self, script: &str, args: Value) -> Result<Value, String> {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Runs `script`, which calls `arguments[arguments.length - 1]` with its result.
    pub fn run_async(&self, script: &str, args: Value) -> Result<Value, String> {
        self.call("POST", "/execute/async", Some(json!({ "script": script, "args": args })))
    }

    /// Console messages since the last call: (level, message).
    pub fn console(&self) -> Result<Vec<(String, String)>, String> {
        let entries = self.call("POST", "/se/log", Some(json!({ "type": "browser" })))?;
        Ok(entries
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or("").to_string(),
                            e["message"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// A PNG of the whole page, written to `path`.
    pub fn screenshot(&self, path: &Path) -> Result<(), String> {
        use base64::Engine as _;
        let data = self.call("GET", "/screenshot", None)?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or(""))
            .map_err(|e| format!("screenshot: {e}"))?;
        std::fs::write(path, png).map_err(|e| format!("writing {}: {e}", path.display()))
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", None);
    }
}

/// The built book served over HTTP on 127.0.0.1, stopped when dropped.
pub struct StaticServer {
    child: Child,
    pub url: String,
}

impl StaticServer {
    /// Python's `http.server` over `dir`: a plain file server, like GitHub Pages.
    pub fn start(dir: &Path) -> Result<StaticServer, String> {
        let port = free_port()?;
        let child = Command::new("python3")
            .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting python3 -m http.server: {e}"))?;
        let server = StaticServer { child, url: format!("http://127.0.0.1:{port}") };
        let index = format!("{}/index.html", server.url);
        if !within_10_s(|| crate::http::get(&index, Duration::from_secs(1)).is_ok_and(|(s, _)| s == 200)) {
            return Err(format!("the book at {} was not served within 10 s", dir.display()));
        }
        Ok(server)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `ready` every 100 ms for at most 10 s.
fn within_10_s(ready: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}
