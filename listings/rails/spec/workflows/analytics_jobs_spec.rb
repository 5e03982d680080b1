# frozen_string_literal: true

require 'rails_helper'

# The analytics pipeline run to its end by the app's own worker (spec/rails_helper.rb).
RSpec.describe 'Analytics workflows', :worker, type: :request do
  let(:job) { { source: 'web', date_from: '2026-11-01', date_to: '2026-11-07' } }

  # tasker-rb runs one step at a time in a process, so the three extracts, which Tasker
  # makes ready together, run one after another.
  it 'runs the eight-step pipeline, the three extracts one after another' do
    post '/analytics/jobs', params: job, as: :json
    expect(response).to have_http_status(:created)
    task_uuid = response.parsed_body['task_uuid']

    task = wait_for_task_completion(task_uuid, max_wait: 30)
    expect(task).to include('completed_steps' => 8)
    results = TaskPolling.step_results(task_uuid)
    extracts = results.select { |name, _| name.start_with?('extract_') }.values
    spans = extracts.map { |r| r.values_at('started_at', 'finished_at') }
                    .map { |span| span.map { |at| Time.iso8601(at) } }.sort
    spans.each_cons(2) { |(_, ended), (started, _)| expect(started).to be >= ended }
    expect(results['generate_insights']['insights'])
      .to eq(['161 orders brought in 7777 in revenue'])
  end
end
