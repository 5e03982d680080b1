//! Registers the task templates in a directory with Tasker, without starting a worker.
//!
//! A worker registers its templates when it starts. The Bun and Rails chapters have no worker
//! that can run on the book's machine (their Tasker packages are not installable there), but
//! their apps still create tasks through the REST API, and Tasker answers 404 for a template
//! it has never seen. This runs the same registration code the workers use
//! (`tasker_shared`'s `TaskTemplateRegistry`), so those tasks are real: created, with their
//! steps enqueued for a worker that is not running.
//!
//! Usage: tasker-register-templates <directory>...   (reads DATABASE_URL)

use anyhow::{Context, Result, bail};
use sqlx::postgres::PgPoolOptions;
use tasker_shared::registry::TaskTemplateRegistry;

#[tokio::main]
async fn main() -> Result<()> {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() || dirs.iter().any(|a| a == "-h" || a == "--help") {
        println!("tasker-register-templates <directory>...");
        println!("  register every task template (*.yaml) under each directory with the Tasker");
        println!("  database at DATABASE_URL, as a starting worker would; safe to re-run");
        return Ok(());
    }
    let url = std::env::var("DATABASE_URL").context("DATABASE_URL is not set")?;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .context("cannot connect to DATABASE_URL")?;
    let registry = TaskTemplateRegistry::new(pool);
    for dir in &dirs {
        let found = registry
            .discover_and_register_templates(dir)
            .await
            .with_context(|| format!("registering templates from {dir}"))?;
        if found.failed_registrations > 0 {
            bail!("{dir}: {} template(s) failed: {}", found.failed_registrations, found.errors.join("; "));
        }
        for template in &found.discovered_templates {
            println!("registered {template}");
        }
    }
    Ok(())
}
