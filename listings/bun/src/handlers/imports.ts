// The steps of stock_import: a batchable step splits an import of generated stock rows into
// ranges, batch workers import their range in parallel, and a convergence step counts what
// landed in the app's database.
import {
  createBatches,
  ErrorType,
  type RustBatchWorkerInputs,
  type RustCursorConfig,
  type StepContext,
  StepHandler,
  type StepHandlerResult,
} from "@tasker-systems/tasker";
import { handlerDb } from "../db";

const CHUNK_ROWS = 100; // rows written per transaction; the checkpoint advances with each
const CHUNK_LATENCY_MS = 100; // stands in for the work of a chunk (parsing, lookups)

/** Row n of an import's generated feed. */
export const feedRow = (n: number) => ({
  sku: `SKU-${String(n).padStart(5, "0")}`,
  quantity: (n * 37) % 500,
});

// ANCHOR: plan_import
/** The batchable step: one batch per batch_size rows (its handler's initialization), each
 *  with its own cursor range; Tasker creates a worker step per range. */
export class PlanImportHandler extends StepHandler {
  static override handlerName = "Imports.PlanImportHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const rows = context.getInput("row_count") as number;
    const size = context.stepConfig.batch_size as number;
    const ranges: RustCursorConfig[] = [];
    for (let start = 0; start < rows; start += size) {
      const end = Math.min(start + size, rows);
      const batch_id = String(ranges.length + 1).padStart(3, "0");
      ranges.push({
        batch_id,
        start_cursor: start,
        end_cursor: end,
        batch_size: end - start,
      });
    }
    // createBatches is the shape Tasker 0.1.8 reads (`batch_processing_outcome`).
    const outcome = createBatches("import_batch", ranges.length, ranges, rows);
    return this.success({ batch_processing_outcome: outcome, row_count: rows });
  }
}
// ANCHOR_END: plan_import

// ANCHOR: import_batch
/** A batch worker: imports its range in chunks. Each chunk's rows and the batch's
 *  checkpoint commit together, so a batch that runs again resumes after the last
 *  committed chunk: no row is written twice, none is skipped. */
export class ImportBatchHandler extends StepHandler {
  static override handlerName = "Imports.ImportBatchHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const { cursor } = context.stepInputs as unknown as RustBatchWorkerInputs;
    const importId = context.getInput("import_id") as string;
    const sql = handlerDb();
    const [saved] = await sql`
      SELECT next_row FROM import_checkpoints
      WHERE import_id = ${importId} AND batch_id = ${cursor.batch_id}`;
    const resumedFrom: number | null = saved?.next_row ?? null;
    const start = resumedFrom ?? Number(cursor.start_cursor);
    const end = Number(cursor.end_cursor);
    for (let chunk = start; chunk < end; chunk += CHUNK_ROWS) {
      const chunkEnd = Math.min(chunk + CHUNK_ROWS, end);
      await Bun.sleep(CHUNK_LATENCY_MS);
      await sql.begin(async (tx) => {
        for (let n = chunk; n < chunkEnd; n++) {
          const { sku, quantity } = feedRow(n);
          await tx`
            INSERT INTO stock_levels (import_id, row_no, sku, quantity)
            VALUES (${importId}, ${n}, ${sku}, ${quantity})
            ON CONFLICT (import_id, row_no)
            DO UPDATE SET writes = stock_levels.writes + 1`;
        }
        await tx`
          INSERT INTO import_checkpoints (import_id, batch_id, next_row)
          VALUES (${importId}, ${cursor.batch_id}, ${chunkEnd})
          ON CONFLICT (import_id, batch_id) DO UPDATE SET next_row = EXCLUDED.next_row`;
      });
    }
    return this.success({
      batch_id: cursor.batch_id,
      rows_written: end - start,
      resumed_from: resumedFrom,
    });
  }
}
// ANCHOR_END: import_batch

/** The convergence step: runs once every batch is complete, and counts the import in the
 *  app's database (rows, and writes: more writes than rows would mean a row twice). */
export class FinishImportHandler extends StepHandler {
  static override handlerName = "Imports.FinishImportHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const importId = context.getInput("import_id") as string;
    const expected = context.getInput("row_count") as number;
    const [counted] = await handlerDb()`
      SELECT count(*)::int AS rows, coalesce(sum(writes), 0)::int AS writes
      FROM stock_levels WHERE import_id = ${importId}`;
    const batches = Object.keys(context.dependencyResults).filter((name) =>
      name.startsWith("import_batch_"),
    ).length;
    if (counted.rows !== expected) {
      const message = `${counted.rows} of ${expected} rows imported`;
      return this.failure(message, ErrorType.PERMANENT_ERROR, false);
    }
    return this.success({ rows: counted.rows, writes: counted.writes, batches });
  }
}

export const importHandlers = [
  PlanImportHandler,
  ImportBatchHandler,
  FinishImportHandler,
];
