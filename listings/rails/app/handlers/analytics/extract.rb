# frozen_string_literal: true

module Analytics
  # What the three extract steps share: synthetic but deterministic records, one per day
  # of the job's range, after a pause that stands in for a slow query against a source
  # system. Each records when it ran, so the side-by-side run of the three can be seen.
  class Extract < TaskerCore::StepHandler::Base
    LATENCY = 0.3

    def call(context)
      started_at = Time.now.utc.iso8601(3)
      sleep LATENCY
      records = (0...days(context)).map { |day| record(day) }
      success(result: { source:, record_count: records.size, records:, started_at:,
                        finished_at: Time.now.utc.iso8601(3) })
    end

    private

    def days(context)
      from = Date.iso8601(context.get_input('date_from'))
      to = Date.iso8601(context.get_input('date_to'))
      (to - from).to_i + 1
    end
  end
end
