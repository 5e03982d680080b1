# frozen_string_literal: true

require 'rails_helper'

# Needs the worker (tasker-rb) running in the app: start it with TASKER_TEMPLATE_PATH set.
RSpec.describe 'Analytics jobs', type: :request do
  let(:job) { { source: 'web', date_from: '2026-11-01', date_to: '2026-11-07' } }

  it 'runs the eight-step pipeline, the three extracts side by side' do
    post '/analytics/jobs', params: job, as: :json
    expect(response).to have_http_status(:created)
    task_uuid = response.parsed_body['task_uuid']

    task = wait_for_task_completion(task_uuid, max_wait: 30)
    expect(task).to include('completed_steps' => 8)
    results = TaskPolling.step_results(task_uuid)
    extracts = results.select { |name, _| name.start_with?('extract_') }
    starts = extracts.values.map { |r| Time.iso8601(r['started_at']) }
    ends = extracts.values.map { |r| Time.iso8601(r['finished_at']) }
    expect(starts.max).to be < ends.min
  end

  it 'answers bad input with a 422 naming every field, and stores nothing' do
    bad = { date_from: '2026-02-30', date_to: 'soon' }
    expect { post '/analytics/jobs', params: bad, as: :json }
      .not_to change(AnalyticsJob, :count)
    expect(response).to have_http_status(:unprocessable_entity)
    fields = response.parsed_body['fields'].keys
    expect(fields).to contain_exactly('source', 'date_from', 'date_to')
  end

  it 'runs yesterday through the daily job as through the API' do
    expect { DailyAnalyticsJob.perform_now('web') }.to change(AnalyticsJob, :count).by(1)
    expect(AnalyticsJob.last)
      .to have_attributes(status: 'submitted', date_from: Date.yesterday)
  end
end
