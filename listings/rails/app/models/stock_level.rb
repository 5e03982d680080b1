# frozen_string_literal: true

# The batch pattern's import: one row per imported stock line. `writes` counts how many
# times the row was written, so a row processed twice shows as 2, not as an overwrite.
class StockLevel < ApplicationRecord
  # Row n of an import's generated feed, written (or counted again) in one statement.
  def self.record!(import_id, row_no)
    upsert({ import_id:, row_no:, sku: format('SKU-%05d', row_no),
             quantity: (row_no * 37) % 500 },
           unique_by: %i[import_id row_no],
           on_duplicate: Arel.sql('writes = stock_levels.writes + 1'))
  end
end
