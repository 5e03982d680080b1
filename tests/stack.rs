//! The stack itself (scripts/stack): what it serves, that migrations re-run without change,
//! and that down/up cycles leave nothing behind. One test, because it stops and starts the
//! shared stack; Cargo runs test binaries one at a time, and it ends with the stack up.
//! Addresses and credentials come from `scripts/stack env`.

use std::process::Command;
use std::time::Duration;

use tasker_quickstarts::env::reader_env;
use tasker_quickstarts::paths::target_binary;
use tasker_quickstarts::{StackEnv, http, repo_root, require_stack, state_dir};

fn stack(args: &[&str]) -> String {
    let out = reader_env(&mut Command::new(repo_root().join("scripts/stack")))
        .args(args)
        .output()
        .expect("running scripts/stack");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "scripts/stack {args:?} failed:\n{text}");
    text
}

fn port_in_use(addr: &str) -> bool {
    std::net::TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_millis(300)).is_ok()
}

fn pid_file_alive(name: &str) -> Option<String> {
    let pid = std::fs::read_to_string(state_dir().join("run").join(name)).ok()?;
    std::path::Path::new(&format!("/proc/{}", pid.trim())).exists().then(|| pid.trim().to_string())
}

/// Checksum of every migration sqlx has applied, plus a fingerprint of the schema.
fn schema_state(env: &StackEnv) -> String {
    let sql = "SELECT string_agg(version::text || ':' || encode(checksum, 'hex'), ',' ORDER BY version) FROM _sqlx_migrations; \
               SELECT md5(string_agg(table_schema || '.' || table_name || '.' || column_name || ':' || data_type, ',' ORDER BY 1)) \
               FROM (SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns \
                     WHERE table_schema IN ('tasker', 'pgmq', 'public') ORDER BY 1, 2, 3) c; \
               SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE nspname IN ('tasker', 'pgmq', 'public');";
    let out = Command::new("psql").args(["-X", "-At", env.database_url(), "-c", sql]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn check_serving(env: &StackEnv) {
    require_stack().unwrap();
    let base = env.orchestration_url();
    let (status, body) = http::get(&format!("{base}/v1/templates"), Duration::from_secs(2)).unwrap();
    assert_eq!(status, 200, "/v1/templates: {body}");
    assert!(body.trim_start().starts_with('{') || body.trim_start().starts_with('['), "{body}");

    let post =
        |body: &str| http::post_json(&format!("{base}/v1/tasks"), body, Duration::from_secs(5)).unwrap();
    let unknown = r#"{"name":"no_such_template","namespace":"nowhere","version":"9.9.9","context":{},
                      "initiator":"tests","source_system":"tests","reason":"unknown template"}"#;
    let (status, body) = post(unknown);
    assert_eq!(status, 404, "unknown template: {body}");
    let (status, body) = post(r#"{"name": "missing the other fields"}"#);
    assert!((400..500).contains(&status), "a body without required fields: {status} {body}");
    let (status, body) = post("{not json");
    assert!((400..500).contains(&status), "a malformed body: {status} {body}");
}

#[test]
fn the_stack_serves_migrates_idempotently_and_stops_cleanly() {
    let env = StackEnv::get();
    stack(&["up"]);
    check_serving(env);

    let before = schema_state(env);
    let migrate = Command::new(target_binary("tasker-migrate"))
        .env("DATABASE_URL", env.database_url())
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "re-running migrations failed: {}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    assert_eq!(schema_state(env), before, "re-running migrations changed the schema");

    let (http_addr, pg_addr) = (env.http_address(), env.pg_address());
    for cycle in 1..=2 {
        let down = stack(&["down"]);
        assert!(down.contains("nothing of the stack is running"), "{down}");
        assert_eq!(pid_file_alive("tasker-server.pid"), None, "cycle {cycle}: tasker-server still running");
        assert_eq!(pid_file_alive("prometheus.pid"), None, "cycle {cycle}: prometheus still running");
        assert!(!port_in_use(&http_addr), "cycle {cycle}: {http_addr} still taken after down");
        assert!(!port_in_use(&pg_addr), "cycle {cycle}: PostgreSQL still listening on {pg_addr} after down");
        let status =
            reader_env(&mut Command::new(repo_root().join("scripts/stack"))).arg("status").output().unwrap();
        assert!(!status.status.success(), "status must fail when the stack is down");

        let again = stack(&["down"]);
        assert!(again.contains("nothing of the stack is running"), "down twice must be fine: {again}");

        stack(&["up"]);
        check_serving(env);
        stack(&["up"]); // up twice is fine
    }
    stack(&["status"]);
}
