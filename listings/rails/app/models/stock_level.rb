# frozen_string_literal: true

# The batch pattern's import: one row per imported stock line. `writes` counts how many
# times the row was written, so a row processed twice shows as 2, not as an overwrite.
class StockLevel < ApplicationRecord
  # Written in SQL: `upsert` can say what a second write does (`on_duplicate:`) only from
  # Rails 7.0, and the book's tests run this app on Rails 6.1 too.
  RECORD = <<~SQL.squish
    INSERT INTO stock_levels (import_id, row_no, sku, quantity) VALUES (?, ?, ?, ?)
    ON CONFLICT (import_id, row_no) DO UPDATE SET writes = stock_levels.writes + 1
  SQL

  # Row n of an import's generated feed, written (or counted again) in one statement.
  def self.record!(import_id, row_no)
    row = [import_id, row_no, format('SKU-%05d', row_no), (row_no * 37) % 500]
    connection.exec_update(sanitize_sql_array([RECORD, *row]), 'StockLevel Record')
  end
end
