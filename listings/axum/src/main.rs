//! `cargo run -p axum-quickstart`: the HTTP API on 127.0.0.1:$PORT (3001) plus the worker.

use axum_quickstart::{AppState, Settings, connect, router, tasker::TaskerApi, worker};
use tokio::signal::unix::{SignalKind, signal};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env();
    let db = connect(&settings.app_database_url).await?;
    // The patterns' steps write into the app's database (imported rows, charges).
    axum_quickstart::handlers::app_db::use_database(db.clone());
    let mut worker = if settings.run_worker {
        Some(worker::start().await?)
    } else {
        None
    };
    let state = AppState {
        db,
        tasker: TaskerApi::new(&settings.orchestration_url)
            .with_api_key(settings.tasker_api_key.as_deref()),
    };

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", settings.port)).await?;
    eprintln!(
        "axum-quickstart listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await?;

    if let Some(w) = worker.as_mut() {
        w.stop()
            .await
            .map_err(|e| anyhow::anyhow!("stopping the worker: {e}"))?;
    }
    Ok(())
}

/// SIGINT or SIGTERM; with APP_EXIT_ON_STDIN_EOF=1 also the end of stdin, so a test that
/// spawned the app takes it down with it, however the test process ends.
async fn shutdown() {
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let stdin_closed = async {
        if std::env::var("APP_EXIT_ON_STDIN_EOF").is_ok_and(|v| v == "1") {
            use tokio::io::AsyncReadExt;
            let mut sink = [0u8; 64];
            let mut stdin = tokio::io::stdin();
            while stdin.read(&mut sink).await.is_ok_and(|n| n > 0) {}
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
        _ = stdin_closed => {}
    }
}
