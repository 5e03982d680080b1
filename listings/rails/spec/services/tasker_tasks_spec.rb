# frozen_string_literal: true

require 'rails_helper'

RSpec.describe TaskerTasks do
  def analytics_context
    { job_id: SecureRandom.uuid, source: 'specs',
      date_from: '2026-11-01', date_to: '2026-11-01' }
  end

  it 'answers a request Tasker already accepted with the task it created' do
    context = analytics_context
    first = described_class.create_analytics(context)
    body = { namespace: 'analytics_rb', name: 'analytics_pipeline', version: '1.0.0',
             context:, reason: 'the same again', initiator: 'specs',
             source_system: 'specs' }
    expect(described_class.post('/v1/tasks', body).code).to eq('409')

    again = described_class.create_analytics(context)
    expect(again['task_uuid']).to eq(first['task_uuid'])
  end

  it 'sends a request answered with 5xx again, and passes on the last answer' do
    # Nested deeper than Tasker 0.1.8 stores: answered 500, nothing created.
    deep = (0...11).reduce(analytics_context) do |inner, level|
      { "level_#{level}": inner }
    end
    deep[:job_id] = SecureRandom.uuid
    expect { described_class.create_analytics(deep) }
      .to raise_error(TaskerTasks::Unavailable, /HTTP 500 .*\(after 3 attempts\)\z/)
  end
end
