# frozen_string_literal: true

module Imports
  # ANCHOR: import_batch
  # A batch worker: imports its range in chunks. Each chunk's rows and the batch's
  # checkpoint commit together, so a batch that runs again resumes after the last
  # committed chunk: no row is written twice, none is skipped.
  class ImportBatchHandler < TaskerCore::StepHandler::Base
    include TaskerCore::StepHandler::Mixins::Batchable

    CHUNK_ROWS = 100 # rows written per transaction; the checkpoint advances with each

    def call(context)
      batch = get_batch_context(context)
      import_id = context.get_input('import_id')
      checkpoint = ImportCheckpoint.find_by(import_id:, batch_id: batch.batch_id)
      start = checkpoint&.next_row || batch.start_cursor
      (start...batch.end_cursor).each_slice(CHUNK_ROWS) do |numbers|
        StockLevel.transaction do
          numbers.each { |n| StockLevel.record!(import_id, n) }
          ImportCheckpoint.advance!(import_id, batch.batch_id, numbers.last + 1)
        end
      end
      success(result: { batch_id: batch.batch_id, rows_written: batch.end_cursor - start,
                        resumed_from: checkpoint&.next_row })
    end
  end
  # ANCHOR_END: import_batch
end
