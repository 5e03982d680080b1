//! Applies Tasker 0.1.8's schema migrations (they ship inside `tasker-shared`).
//!
//! The server does not migrate on start, so `scripts/stack up` runs this first. Re-running is
//! safe: sqlx records what it applied and skips it. The connection pins `search_path=public`:
//! with the default `"$user", public` path the `tasker` role would resolve the migrations'
//! unqualified names into schema `tasker` on a second run and fail.
//!
//! Usage: tasker-migrate [--status]   (reads DATABASE_URL)

use std::str::FromStr;

use anyhow::{Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tasker_shared::database::migrator::MIGRATOR;

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect(); // skip(1): argv[0] is the program
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("tasker-migrate: apply Tasker's migrations to DATABASE_URL (safe to re-run)");
        println!("  --status   list applied migrations and exit without changing anything");
        return Ok(());
    }
    let url = std::env::var("DATABASE_URL").context("DATABASE_URL is not set")?;
    let options = PgConnectOptions::from_str(&url)
        .context("DATABASE_URL is not a PostgreSQL URL")?
        .options([("search_path", "public")]);
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot connect to {}", redact(&url)))?;

    if !args.iter().any(|a| a == "--status") {
        MIGRATOR.run(&pool).await.context("migration failed")?;
    }
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, description FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&pool)
            .await
            .context("reading _sqlx_migrations")?;
    for (version, description) in &applied {
        println!("{version} {description}");
    }
    println!("{} of {} migrations applied", applied.len(), MIGRATOR.iter().count());
    Ok(())
}

/// The URL minus its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}
