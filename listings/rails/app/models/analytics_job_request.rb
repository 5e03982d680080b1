# frozen_string_literal: true

require 'date'

# The body of POST /analytics/jobs, checked field by field with the other apps' rules and
# messages. Plain Ruby, so it runs (and is tested) without Rails.
class AnalyticsJobRequest
  MAX_SOURCE_CHARS = 64
  MAX_DAYS = 366
  DATE = /\A\d{4}-\d{2}-\d{2}\z/

  attr_reader :source, :date_from, :date_to, :errors

  def initialize(body)
    @errors = {}
    unless body.is_a?(Hash)
      @errors['body'] = 'must be a JSON object'
      return
    end
    check_source(body['source'])
    @date_from = date(body, 'date_from')
    @date_to = date(body, 'date_to')
    check_range if @date_from && @date_to
  end

  def valid?
    errors.empty?
  end

  # The task context of the job's analytics_pipeline task.
  def context(job_id)
    { job_id:, source:, date_from: date_from.iso8601, date_to: date_to.iso8601 }
  end

  private

  def check_source(raw)
    @source = OrderRequest.trimmed(raw) || ''
    if source.empty?
      errors['source'] = 'is required'
    elsif !OrderRequest.label?(source, 1, MAX_SOURCE_CHARS)
      errors['source'] = OrderRequest.text_rule(0, MAX_SOURCE_CHARS)
    end
  end

  def date(body, field)
    value = body[field]
    return Date.iso8601(value) if value.is_a?(String) && value.match?(DATE)

    errors[field] = 'must be a date like 2026-11-01'
    nil
  rescue Date::Error
    errors[field] = 'must be a date like 2026-11-01'
    nil
  end

  def check_range
    if date_to < date_from
      errors['date_to'] = 'must not be before date_from'
    elsif (date_to - date_from).to_i > MAX_DAYS
      errors['date_to'] = 'the range may span at most a year'
    end
  end
end
