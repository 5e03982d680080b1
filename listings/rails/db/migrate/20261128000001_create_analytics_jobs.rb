# frozen_string_literal: true

class CreateAnalyticsJobs < ActiveRecord::Migration[8.0]
  def change
    create_table :analytics_jobs, id: :uuid do |t|
      t.text :source, null: false
      t.date :date_from, null: false
      t.date :date_to, null: false
      t.text :status, null: false
      t.uuid :task_uuid
      t.timestamps
    end
  end
end
