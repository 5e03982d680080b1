//! HTTP for the tests: reqwest's blocking client (the workspace's one HTTP client), with
//! hard timeouts so a missing or stuck server fails fast instead of hanging a test.

use std::time::Duration;

/// (status, body) of a GET.
pub fn get(url: &str, timeout: Duration) -> Result<(u16, String), String> {
    let response = client(timeout).get(url).send().map_err(|e| describe(url, &e))?;
    let status = response.status().as_u16();
    Ok((status, response.text().map_err(|e| describe(url, &e))?))
}

/// (status, body) of a POST with a JSON (or deliberately malformed) body.
pub fn post_json(url: &str, body: &str, timeout: Duration) -> Result<(u16, String), String> {
    let response = client(timeout)
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .map_err(|e| describe(url, &e))?;
    let status = response.status().as_u16();
    Ok((status, response.text().map_err(|e| describe(url, &e))?))
}

fn client(timeout: Duration) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .connect_timeout(timeout)
        .timeout(timeout)
        .build()
        .expect("building the HTTP client")
}

/// The error with its root cause ("connection refused"), which reqwest's Display omits.
fn describe(url: &str, e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    format!("{url}: {cause}")
}
