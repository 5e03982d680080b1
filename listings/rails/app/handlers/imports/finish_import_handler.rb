# frozen_string_literal: true

module Imports
  # The convergence step: runs once every batch is complete, and counts the import in the
  # app's database (rows, and writes: more writes than rows would mean a row twice).
  class FinishImportHandler < TaskerCore::StepHandler::Base
    def call(context)
      import_id = context.get_input('import_id')
      expected = context.get_input('row_count')
      levels = StockLevel.where(import_id:)
      rows = levels.count
      if rows != expected
        return failure(message: "#{rows} of #{expected} rows imported",
                       error_code: 'rows_missing', retryable: false)
      end

      batches = context.dependency_results.keys.grep(/\Aimport_batch_/).size
      success(result: { rows:, writes: levels.sum(:writes), batches: })
    end
  end
end
