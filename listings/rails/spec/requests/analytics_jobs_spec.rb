# frozen_string_literal: true

require 'rails_helper'

RSpec.describe 'Analytics jobs', type: :request do
  let(:job) { { source: 'web', date_from: '2026-11-01', date_to: '2026-11-07' } }

  def json = response.parsed_body

  it 'stores the job and creates its task, which GET shows' do
    post '/analytics/jobs', params: job.merge(source: ' web '), as: :json
    expect(response).to have_http_status(:created)
    task = TaskPolling.get_task(json['task_uuid'])
    expect(task).to include('namespace' => 'analytics_rb', 'total_steps' => 8)
    expect(task['context']).to eq('job_id' => json['id'], 'source' => 'web',
                                  'date_from' => '2026-11-01', 'date_to' => '2026-11-07')
    get "/analytics/jobs/#{json['id']}"
    expect(json).to include('status' => 'submitted', 'date_to' => '2026-11-07')
  end

  it 'answers bad input with a 422 naming every field, and stores nothing' do
    bad = { date_from: '2026-02-30', date_to: 'soon' }
    expect { post '/analytics/jobs', params: bad, as: :json }
      .not_to change(AnalyticsJob, :count)
    expect(response).to have_http_status(422)
    expect(json['fields']).to eq('source' => 'is required',
                                 'date_from' => 'must be a date like 2026-11-01',
                                 'date_to' => 'must be a date like 2026-11-01')
  end

  it 'takes ranges that run forward and span at most a year' do
    { '2026-10-31' => 'must not be before date_from',
      '2027-11-03' => 'the range may span at most a year' }.each do |date_to, message|
      post '/analytics/jobs', params: job.merge(date_to:), as: :json
      expect(json['fields']).to eq('date_to' => message)
    end
  end

  it 'runs yesterday through the daily job as through the API' do
    record = nil
    expect { record = DailyAnalyticsJob.perform_now('web') }
      .to change(AnalyticsJob, :count).by(1)
    expect(record).to have_attributes(status: 'submitted', date_from: Date.yesterday,
                                      date_to: Date.yesterday)
    expect(TaskPolling.get_task(record.task_uuid)['context']['job_id']).to eq(record.id)
  end

  it 'marks the daily job failed, and raises for a retry, when Tasker is unreachable' do
    with_tasker_unreachable do
      expect { DailyAnalyticsJob.perform_now('web') }
        .to raise_error(TaskerTasks::Unavailable)
    end
    expect(AnalyticsJob.order(:created_at).last).to have_attributes(status: 'failed')
  end
end
