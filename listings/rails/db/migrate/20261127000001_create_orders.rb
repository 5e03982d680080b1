# frozen_string_literal: true

class CreateOrders < ActiveRecord::Migration[8.0]
  def change
    create_table :orders, id: :uuid do |t|
      t.text :customer_email, null: false
      t.jsonb :items, null: false
      t.decimal :total, precision: 12, scale: 2, null: false
      t.text :status, null: false
      t.uuid :task_uuid
      t.text :failure_reason
      t.timestamps
    end
  end
end
