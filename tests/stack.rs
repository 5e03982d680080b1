//! The stack itself (scripts/stack): what it serves, that migrations re-run without change,
//! and that down/up cycles leave nothing behind. One test, because it stops and starts the
//! shared stack; Cargo runs test binaries one at a time, and it ends with the stack up.

use std::process::Command;
use std::time::Duration;

use tasker_quickstarts::{http, orchestration_url, repo_root, require_stack, state_dir};

fn stack(args: &[&str]) -> String {
    let out = tasker_quickstarts::reader_env(&mut Command::new(repo_root().join("scripts/stack")))
        .args(args)
        .output()
        .expect("running scripts/stack");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "scripts/stack {args:?} failed:\n{text}");
    text
}

fn post(path: &str, body: &str) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-s", "-o", "-", "-w", "\n%{http_code}", "-X", "POST", "-H", "content-type: application/json", "-d", body])
        .arg(format!("{}{path}", orchestration_url()))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (body, code) = text.rsplit_once('\n').unwrap();
    (code.trim().parse().unwrap(), body.to_string())
}

fn port_in_use(addr: &str) -> bool {
    std::net::TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_millis(300)).is_ok()
}

fn pid_file_alive(name: &str) -> Option<String> {
    let pid = std::fs::read_to_string(state_dir().join("run").join(name)).ok()?;
    std::path::Path::new(&format!("/proc/{}", pid.trim())).exists().then(|| pid.trim().to_string())
}

/// Checksum of every migration sqlx has applied, plus a fingerprint of the schema.
fn schema_state() -> String {
    let sql = "SELECT string_agg(version::text || ':' || encode(checksum, 'hex'), ',' ORDER BY version) FROM _sqlx_migrations; \
               SELECT md5(string_agg(table_schema || '.' || table_name || '.' || column_name || ':' || data_type, ',' ORDER BY 1)) \
               FROM (SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns \
                     WHERE table_schema IN ('tasker', 'pgmq', 'public') ORDER BY 1, 2, 3) c; \
               SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE nspname IN ('tasker', 'pgmq', 'public');";
    let out = Command::new("psql")
        .env("PGPASSWORD", "tasker")
        .args(["-X", "-At", "-h", "127.0.0.1", "-p", "54329", "-U", "tasker", "-d", "tasker", "-c", sql])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn check_serving() {
    require_stack();
    let (status, body) = http::get(&format!("{}/v1/templates", orchestration_url()), Duration::from_secs(2)).unwrap();
    assert_eq!(status, 200, "/v1/templates: {body}");
    assert!(body.trim_start().starts_with('{') || body.trim_start().starts_with('['), "{body}");

    let unknown = r#"{"name":"no_such_template","namespace":"nowhere","version":"9.9.9","context":{},
                      "initiator":"tests","source_system":"tests","reason":"unknown template"}"#;
    let (status, body) = post("/v1/tasks", unknown);
    assert_eq!(status, 404, "unknown template: {body}");

    let (status, body) = post("/v1/tasks", r#"{"name": "missing the other fields"}"#);
    assert!((400..500).contains(&status), "a body without required fields: {status} {body}");
    let (status, body) = post("/v1/tasks", "{not json");
    assert!((400..500).contains(&status), "a malformed body: {status} {body}");
}

#[test]
fn the_stack_serves_migrates_idempotently_and_stops_cleanly() {
    stack(&["up"]);
    check_serving();

    let before = schema_state();
    let migrate = Command::new(std::env::var("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| repo_root().join("target")).join("debug/tasker-migrate"))
        .env("DATABASE_URL", "postgresql://tasker:tasker@127.0.0.1:54329/tasker")
        .output()
        .unwrap();
    assert!(migrate.status.success(), "re-running migrations failed: {}", String::from_utf8_lossy(&migrate.stderr));
    assert_eq!(schema_state(), before, "re-running migrations changed the schema");

    for cycle in 1..=2 {
        let down = stack(&["down"]);
        assert!(down.contains("nothing of the stack is running"), "{down}");
        assert_eq!(pid_file_alive("tasker-server.pid"), None, "cycle {cycle}: tasker-server still running");
        assert!(!port_in_use("127.0.0.1:8080"), "cycle {cycle}: port 8080 still taken after down");
        assert!(!port_in_use("127.0.0.1:54329"), "cycle {cycle}: PostgreSQL still listening after down");
        let status = tasker_quickstarts::reader_env(&mut Command::new(repo_root().join("scripts/stack"))).arg("status").output().unwrap();
        assert!(!status.status.success(), "status must fail when the stack is down");

        let again = stack(&["down"]);
        assert!(again.contains("nothing of the stack is running"), "down twice must be fine: {again}");

        stack(&["up"]);
        check_serving();
        stack(&["up"]); // up twice is fine
    }
    stack(&["status"]);
}
