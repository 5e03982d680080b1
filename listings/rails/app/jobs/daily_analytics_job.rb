# frozen_string_literal: true

# Runs yesterday's analytics pipeline, for a scheduler to enqueue once a day (Solid
# Queue's recurring tasks, cron with `bin/rails runner`, …). The same request as POST
# /analytics/jobs, so a scheduled job and an API call cannot differ.
# ANCHOR: job
class DailyAnalyticsJob < ApplicationJob
  queue_as :default

  def perform(source = 'web', day = Date.yesterday)
    input = AnalyticsJobRequest.new({ source:, date_from: day.iso8601,
                                      date_to: day.iso8601 })
    raise ArgumentError, input.errors.full_messages.to_sentence if input.invalid?

    job = AnalyticsJob.create!(id: SecureRandom.uuid, source:, date_from: day,
                               date_to: day, status: 'queued')
    task = TaskerTasks.create_analytics(input.context(job.id))
    job.update!(status: 'submitted', task_uuid: task['task_uuid'])
    job
  rescue TaskerTasks::Unavailable => e
    job&.update!(status: 'failed')
    raise e # ActiveJob's retry settings decide what happens next; the record says why
  end
end
# ANCHOR_END: job
