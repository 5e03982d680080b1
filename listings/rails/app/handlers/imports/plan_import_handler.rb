# frozen_string_literal: true

module Imports
  # ANCHOR: plan_import
  # The batchable step: one batch per batch_size rows (its handler's initialization),
  # each with its own cursor range; Tasker creates a worker step per range.
  class PlanImportHandler < TaskerCore::StepHandler::Base
    include TaskerCore::StepHandler::Mixins::Batchable

    def call(context)
      rows = context.get_input('row_count')
      size = context.get_config('batch_size')
      ranges = (0...rows).step(size).each_with_index.map do |start, i|
        last = [start + size, rows].min
        { batch_id: format('%03d', i + 1), start_cursor: start, end_cursor: last,
          batch_size: last - start }
      end
      create_batches_outcome(worker_template_name: 'import_batch', cursor_configs: ranges,
                             total_items: rows)
    end
  end
  # ANCHOR_END: plan_import
end
