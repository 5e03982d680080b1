# frozen_string_literal: true

# The payment pattern's charges (Payments::ChargeCardHandler), at most one per payment:
# the payment's id is the key, as it would be a card processor's idempotency key.
class CreateCharges < ActiveRecord::Migration[8.0]
  def change
    create_table :charges, id: false do |t|
      t.uuid :payment_id, primary_key: true
      t.bigint :amount_cents, null: false
      t.uuid :task_uuid, null: false
      t.integer :attempt, null: false
      t.datetime :charged_at, null: false, default: -> { 'CURRENT_TIMESTAMP' }
    end
  end
end
