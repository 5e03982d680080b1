//! The steps of `stock_import`: a batchable step splits an import of generated stock rows
//! into ranges, batch workers import their range in parallel, and a convergence step
//! counts what landed in the app's database.

use std::time::Duration;

use serde_json::{Value, json};
use tasker_shared::messaging::{BatchProcessingOutcome, CursorConfig};
use tasker_shared::types::base::TaskSequenceStep;
use tasker_worker::batch_processing::BatchWorkerContext;
use uuid::Uuid;

use super::app_db::{database, db};
use super::{Outcome, StepFailure, input};

/// Rows written per transaction; the checkpoint advances with each chunk.
const CHUNK_ROWS: i64 = 100;
/// Stands in for the work of a chunk (parsing, lookups), so a batch takes a moment.
const CHUNK_LATENCY: Duration = Duration::from_millis(100);

// ANCHOR: plan_import
/// The batchable step: one batch per `batch_size` rows (its handler's initialization),
/// each with its own cursor range; Tasker creates a worker step per range.
pub async fn plan_import(step: &TaskSequenceStep) -> Outcome {
    let rows: u64 = input(step, "row_count")?;
    let size = step
        .step_definition
        .handler
        .initialization
        .get("batch_size")
        .and_then(Value::as_u64)
        .filter(|&size| size > 0)
        .ok_or_else(|| {
            StepFailure::permanent("no_batch_size", "plan_import needs a batch_size")
        })?;
    let ranges: Vec<CursorConfig> = (0..rows.div_ceil(size))
        .map(|i| {
            let start = i * size;
            let end = (start + size).min(rows);
            CursorConfig {
                batch_id: format!("{:03}", i + 1),
                start_cursor: json!(start),
                end_cursor: json!(end),
                batch_size: (end - start) as u32,
            }
        })
        .collect();
    let outcome = BatchProcessingOutcome::create_batches(
        "import_batch".to_string(),
        ranges.len() as u32,
        ranges,
        rows,
    );
    Ok(json!({ "batch_processing_outcome": outcome.to_value(), "row_count": rows }))
}
// ANCHOR_END: plan_import

/// Row `n` of import `import_id`'s generated feed.
fn feed_row(n: i64) -> (String, i32) {
    (format!("SKU-{n:05}"), ((n * 37) % 500) as i32)
}

// ANCHOR: import_batch
/// A batch worker: imports its range in chunks. Each chunk's rows and the batch's
/// checkpoint commit together, so a batch that runs again resumes after the last
/// committed chunk: no row is written twice, none is skipped.
pub async fn import_batch(step: &TaskSequenceStep) -> Outcome {
    let batch = BatchWorkerContext::from_step_data(step).map_err(|e| {
        StepFailure::permanent("no_cursor", format!("batch worker inputs: {e}"))
    })?;
    if batch.is_no_op() {
        return Ok(json!({ "batch_id": batch.batch_id(), "rows_written": 0 }));
    }
    let import_id: Uuid = input(step, "import_id")?;
    let db = db()?;
    let end = batch.end_position() as i64;
    let resumed_from = sqlx::query_scalar::<_, i32>(
        "SELECT next_row FROM import_checkpoints WHERE import_id = $1 AND batch_id = $2",
    )
    .bind(import_id)
    .bind(batch.batch_id())
    .fetch_optional(db)
    .await
    .map_err(database)?
    .map(i64::from);
    let mut next = resumed_from.unwrap_or(batch.start_position() as i64);
    let mut written = 0;
    while next < end {
        let chunk_end = (next + CHUNK_ROWS).min(end);
        tokio::time::sleep(CHUNK_LATENCY).await;
        let mut tx = db.begin().await.map_err(database)?;
        for n in next..chunk_end {
            let (sku, quantity) = feed_row(n);
            sqlx::query(
                "INSERT INTO stock_levels (import_id, row_no, sku, quantity) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (import_id, row_no) \
                 DO UPDATE SET writes = stock_levels.writes + 1",
            )
            .bind(import_id)
            .bind(n as i32)
            .bind(sku)
            .bind(quantity)
            .execute(&mut *tx)
            .await
            .map_err(database)?;
        }
        sqlx::query(
            "INSERT INTO import_checkpoints (import_id, batch_id, next_row) \
             VALUES ($1, $2, $3) ON CONFLICT (import_id, batch_id) \
             DO UPDATE SET next_row = EXCLUDED.next_row",
        )
        .bind(import_id)
        .bind(batch.batch_id())
        .bind(chunk_end as i32)
        .execute(&mut *tx)
        .await
        .map_err(database)?;
        tx.commit().await.map_err(database)?;
        written += chunk_end - next;
        next = chunk_end;
    }
    Ok(json!({
        "batch_id": batch.batch_id(),
        "rows_written": written,
        "resumed_from": resumed_from,
    }))
}
// ANCHOR_END: import_batch

// ANCHOR: finish_import
/// The convergence step: runs once every batch is complete, and counts the import in the
/// app's database (rows, and writes: more writes than rows would mean a row twice).
pub async fn finish_import(step: &TaskSequenceStep) -> Outcome {
    let import_id: Uuid = input(step, "import_id")?;
    let expected: i64 = input(step, "row_count")?;
    let (rows, writes): (i64, i64) = sqlx::query_as(
        "SELECT count(*), coalesce(sum(writes), 0) FROM stock_levels WHERE import_id = $1",
    )
    .bind(import_id)
    .fetch_one(db()?)
    .await
    .map_err(database)?;
    let batches = step
        .dependency_results
        .keys()
        .filter(|name| name.starts_with("import_batch_"))
        .count();
    if rows != expected {
        return Err(StepFailure::permanent(
            "rows_missing",
            format!("{rows} of {expected} rows imported"),
        ));
    }
    let answer: Value = json!({ "rows": rows, "writes": writes, "batches": batches });
    Ok(answer)
}
// ANCHOR_END: finish_import
