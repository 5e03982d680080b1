# frozen_string_literal: true

# POST /analytics/jobs, GET /analytics/jobs/:id: the other apps' analytics API.
class AnalyticsJobsController < ApplicationController
  # ANCHOR: create
  def create
    input = AnalyticsJobRequest.new(json_params.permit(:source, :date_from, :date_to))
    return invalid(input) if input.invalid?

    job = AnalyticsJob.new(id: SecureRandom.uuid, source: input.source,
                           date_from: input.date_from, date_to: input.date_to,
                           status: 'submitted')
    # As for orders: the record commits only once Tasker has accepted the task.
    AnalyticsJob.transaction do
      job.save!
      task = TaskerTasks.create_analytics(input.context(job.id))
      job.update!(task_uuid: task['task_uuid'])
    end
    render json: job.as_json.slice(:id, :task_uuid, :status), status: :created
  end
  # ANCHOR_END: create

  def show
    job = AnalyticsJob.find_by(id: params[:id])
    job ? render(json: job) : not_found('analytics job')
  end
end
