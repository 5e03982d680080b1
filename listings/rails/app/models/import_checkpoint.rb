# frozen_string_literal: true

# How far each batch of an import got, advanced in the same transaction as its rows.
class ImportCheckpoint < ApplicationRecord
  def self.advance!(import_id, batch_id, next_row)
    upsert({ import_id:, batch_id:, next_row: }, unique_by: %i[import_id batch_id])
  end
end
