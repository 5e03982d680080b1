# frozen_string_literal: true

require 'date'

# The body of POST /analytics/jobs, after strong parameters (a value that is not a
# scalar is dropped, and then refused as missing), validated with ActiveModel with the
# other apps' rules.
class AnalyticsJobRequest
  include ActiveModel::Validations

  MAX_SOURCE_CHARS = 64
  MAX_DAYS = 366
  DATE = /\A\d{4}-\d{2}-\d{2}\z/
  DATE_RULE = 'must be a date like 2026-11-01'

  attr_reader :source, :date_from, :date_to

  # ANCHOR: validations
  validates :source, presence: { message: 'is required' }
  validates :source, text: { within: 1..MAX_SOURCE_CHARS }, if: -> { source.present? }
  validates :date_from, :date_to, presence: { message: DATE_RULE }
  validate :range_runs_forward_within_a_year, if: -> { date_from && date_to }
  # ANCHOR_END: validations

  def initialize(params)
    @source = TextValidator.trimmed(params[:source])
    @date_from = self.class.date(params[:date_from])
    @date_to = self.class.date(params[:date_to])
  end

  # The task context of the job's analytics_pipeline task.
  def context(job_id)
    { job_id:, source:, date_from: date_from.iso8601, date_to: date_to.iso8601 }
  end

  # A calendar date written YYYY-MM-DD; nil for anything else (2026-02-30 included).
  def self.date(value)
    Date.iso8601(value) if value.is_a?(String) && value.match?(DATE)
  rescue Date::Error
    nil
  end

  private

  def range_runs_forward_within_a_year
    if date_to < date_from
      errors.add(:date_to, 'must not be before date_from')
    elsif (date_to - date_from).to_i > MAX_DAYS
      errors.add(:date_to, 'the range may span at most a year')
    end
  end
end
