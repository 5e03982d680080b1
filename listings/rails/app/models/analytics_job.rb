# frozen_string_literal: true

# The app's record of an analytics job; the task_uuid links it to its workflow.
class AnalyticsJob < ApplicationRecord
  validates :source, :date_from, :date_to, :status, presence: true

  def as_json(*)
    { id:, source:, date_from: date_from.iso8601, date_to: date_to.iso8601, status:,
      task_uuid: }
  end
end
