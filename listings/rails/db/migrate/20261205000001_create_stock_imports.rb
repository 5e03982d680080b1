# frozen_string_literal: true

# The batch pattern's import (Imports::ImportBatchHandler): stock rows, each written once
# (`writes` counts a second write), and each batch's checkpoint.
class CreateStockImports < ActiveRecord::Migration[8.0]
  def change
    create_table :stock_levels, primary_key: %i[import_id row_no] do |t|
      t.uuid :import_id, null: false
      t.integer :row_no, null: false
      t.string :sku, null: false
      t.integer :quantity, null: false
      t.integer :writes, null: false, default: 1
    end
    create_table :import_checkpoints, primary_key: %i[import_id batch_id] do |t|
      t.uuid :import_id, null: false
      t.string :batch_id, null: false
      t.integer :next_row, null: false
    end
  end
end
