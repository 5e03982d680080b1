// Which task templates does Tasker know? A standalone program: `cargo run --example
// list_templates` (with the stack's env). The book's tests compile and run it as printed.
use serde::Deserialize;

#[derive(Deserialize)]
struct Templates {
    templates: Vec<Template>,
}

#[derive(Deserialize)]
struct Template {
    name: String,
    namespace: String,
    version: String,
    step_count: u32,
}

#[tokio::main]
async fn main() {
    let base = std::env::var("ORCHESTRATION_URL")
        .unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let list: Templates = reqwest::get(format!("{base}/v1/templates"))
        .await
        .expect("the orchestration API answers")
        .json()
        .await
        .expect("GET /v1/templates has the documented shape");
    for t in &list.templates {
        println!(
            "{}/{} {} ({} steps)",
            t.namespace, t.name, t.version, t.step_count
        );
    }
}
