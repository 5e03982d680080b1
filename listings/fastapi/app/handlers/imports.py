"""The steps of stock_import: a batchable step splits an import of generated stock rows
into ranges, batch workers import their range, and a convergence step counts what landed
in the app's database."""

import asyncio

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from tasker_core import Batchable, StepContext, StepHandler, StepHandlerResult

from app.db import ImportCheckpoint, StockLevel, step_engine

CHUNK_ROWS = 100  # rows written per transaction; the checkpoint advances with each
CHUNK_LATENCY_S = 0.1  # stands in for the work of a chunk (parsing, lookups)


def feed_row(n: int) -> tuple[str, int]:
    """Row n of an import's generated feed."""
    return f"SKU-{n:05}", (n * 37) % 500


# ANCHOR: plan_import
class PlanImportHandler(Batchable, StepHandler):
    """The batchable step: one batch per batch_size rows (its handler's
    initialization), each with its own cursor range; Tasker creates a worker per range."""

    handler_name = "app.handlers.imports.PlanImportHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        rows = context.get_input("row_count")
        size = context.step_config["batch_size"]
        return self.batch_analyzer_success(
            cursor_configs=self.create_cursor_ranges(rows, size),
            total_items=rows,
            worker_template_name="import_batch",
        )
        # ANCHOR_END: plan_import


# ANCHOR: import_batch
class ImportBatchHandler(Batchable, StepHandler):
    """A batch worker: imports its range in chunks. Each chunk's rows and the batch's
    checkpoint commit together, so a batch that runs again resumes after the last
    committed chunk: no row is written twice, none is skipped."""

    handler_name = "app.handlers.imports.ImportBatchHandler"

    async def call(self, context: StepContext) -> StepHandlerResult:
        batch = self.get_batch_context(context)
        import_id = context.get_input("import_id")
        engine = step_engine()
        try:
            async with engine.connect() as db:
                resumed_from = await db.scalar(
                    select(ImportCheckpoint.next_row).where(
                        ImportCheckpoint.import_id == import_id,
                        ImportCheckpoint.batch_id == batch.batch_id,
                    )
                )
            start = batch.start_cursor if resumed_from is None else resumed_from
            for chunk in range(start, batch.end_cursor, CHUNK_ROWS):
                chunk_end = min(chunk + CHUNK_ROWS, batch.end_cursor)
                await asyncio.sleep(CHUNK_LATENCY_S)
                async with engine.begin() as db:  # one transaction per chunk
                    await db.execute(_rows(import_id, range(chunk, chunk_end)))
                    await db.execute(_checkpoint(import_id, batch.batch_id, chunk_end))
        finally:
            await engine.dispose()
        written = batch.end_cursor - start
        return StepHandlerResult.success(
            {
                "batch_id": batch.batch_id,
                "rows_written": written,
                "resumed_from": resumed_from,
            }
        )
        # ANCHOR_END: import_batch


def _rows(import_id: str, numbers: range):
    rows = [
        {"import_id": import_id, "row_no": n, "sku": sku, "quantity": quantity}
        for n in numbers
        for sku, quantity in [feed_row(n)]
    ]
    statement = insert(StockLevel).values(rows)
    # A row written again counts up `writes`: a row processed twice would show.
    return statement.on_conflict_do_update(
        index_elements=[StockLevel.import_id, StockLevel.row_no],
        set_={"writes": StockLevel.writes + 1},
    )


def _checkpoint(import_id: str, batch_id: str, next_row: int):
    statement = insert(ImportCheckpoint).values(
        import_id=import_id, batch_id=batch_id, next_row=next_row
    )
    return statement.on_conflict_do_update(
        index_elements=[ImportCheckpoint.import_id, ImportCheckpoint.batch_id],
        set_={"next_row": next_row},
    )


class FinishImportHandler(StepHandler):
    """The convergence step: runs once every batch is complete, and counts the import in
    the app's database (rows, and writes: more writes than rows would mean a row
    twice)."""

    handler_name = "app.handlers.imports.FinishImportHandler"

    async def call(self, context: StepContext) -> StepHandlerResult:
        import_id = context.get_input("import_id")
        expected = context.get_input("row_count")
        engine = step_engine()
        try:
            async with engine.connect() as db:
                totals = select(
                    func.count(), func.coalesce(func.sum(StockLevel.writes), 0)
                ).where(StockLevel.import_id == import_id)
                rows, writes = (await db.execute(totals)).one()
        finally:
            await engine.dispose()
        batches = sum(
            1 for name in context.dependency_results if name.startswith("import_batch_")
        )
        if rows != expected:
            return StepHandlerResult.failure(
                f"{rows} of {expected} rows imported",
                retryable=False,
                error_code="rows_missing",
            )
        return StepHandlerResult.success(
            {"rows": rows, "writes": writes, "batches": batches}
        )
