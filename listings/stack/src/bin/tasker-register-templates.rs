//! Registers the task templates in a directory with Tasker, without starting a worker.
//!
//! A worker does two things for its templates when it starts: it registers them in Tasker's
//! database, and it creates the message queue of each template's namespace
//! (`worker_<namespace>_queue`), into which the orchestration server puts ready steps. The
//! Bun and Rails chapters have no worker that can run on the book's machine (their Tasker
//! packages are not installable there), but their apps still create tasks through the REST
//! API: without the template Tasker answers 404, and without the queue every step it tries
//! to enqueue fails and trips its messaging circuit breaker, stalling other namespaces too.
//! This runs the same code the workers run (`tasker_shared`'s `TaskTemplateRegistry` and
//! `SystemContext::initialize_queues`), so those tasks are real and wait, enqueued, for a
//! worker.
//!
//! Usage: tasker-register-templates <directory>...
//! (reads the worker configuration like a worker: TASKER_CONFIG_PATH, TASKER_ENV, DATABASE_URL)

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail};
use tasker_shared::registry::TaskTemplateRegistry;
use tasker_shared::system_context::SystemContext;

#[tokio::main]
async fn main() -> Result<()> {
    let dirs: Vec<String> = std::env::args().skip(1).collect(); // skip(1): argv[0] is the program
    if dirs.is_empty() || dirs.iter().any(|a| a == "-h" || a == "--help") {
        println!("tasker-register-templates <directory>...");
        println!("  register every task template (*.yaml) under each directory with Tasker and create");
        println!("  its namespace's worker queue, as a starting worker would; safe to re-run.");
        println!("  Reads TASKER_CONFIG_PATH (worker config), TASKER_ENV and DATABASE_URL.");
        return Ok(());
    }
    let context = SystemContext::new_for_worker()
        .await
        .context("loading the worker configuration (TASKER_CONFIG_PATH, DATABASE_URL)")?;
    let registry = TaskTemplateRegistry::new(context.database_pool().clone());
    let mut namespaces = BTreeSet::new();
    let mut registered = Vec::new();
    for dir in &dirs {
        let found = registry
            .discover_and_register_templates(dir)
            .await
            .with_context(|| format!("registering templates from {dir}"))?;
        if found.failed_registrations > 0 {
            bail!("{dir}: {} template(s) failed: {}", found.failed_registrations, found.errors.join("; "));
        }
        namespaces.extend(found.discovered_namespaces);
        registered.extend(found.discovered_templates);
    }
    let names: Vec<&str> = namespaces.iter().map(String::as_str).collect();
    context.initialize_queues(&names).await.context("creating the namespaces' queues")?;
    // Discovery follows directory order, which differs from one file system to another.
    registered.sort();
    for template in &registered {
        println!("registered {template}");
    }
    Ok(())
}
