# frozen_string_literal: true

require 'rails_helper'

# An order's workflow run to its end by the app's own worker (tasker-rb, started for the
# groups tagged :worker by spec/rails_helper.rb).
RSpec.describe 'Order workflows', :worker, type: :request do
  include_context 'with the example cart'

  # ANCHOR: spec
  it 'creates an order whose task runs all five steps' do
    post '/orders', params: cart, as: :json
    expect(response).to have_http_status(:created)
    order = response.parsed_body

    task = wait_for_task_completion(order['task_uuid'], max_wait: 30)
    expect(task).to include('status' => 'complete', 'completed_steps' => 5)
    results = TaskPolling.step_results(order['task_uuid'])
    expect(results['validate_cart']['total_cents']).to eq(77_47)
    expect(results['create_order']['order_id']).to eq(order['id'])
  end
  # ANCHOR_END: spec

  it 'runs a background order to completion too' do
    perform_enqueued_jobs { post '/orders/async', params: cart, as: :json }
    order = Order.find(response.parsed_body['id'])
    task = wait_for_task_completion(order.task_uuid, max_wait: 30)
    expect(task).to include('status' => 'complete', 'completed_steps' => 5)
  end

  it 'stops an order whose cart breaks the rules at its first step, for good' do
    context = { order_id: SecureRandom.uuid, cart_items: [],
                customer_email: 'ada@example.com' }
    task = TaskerTasks.create(namespace: 'ecommerce_rb',
                              name: 'ecommerce_order_processing', context:,
                              reason: 'an empty cart', identified_by: :order_id)
    error = expect_wait_error(task['task_uuid'])
    expect(error.status).to eq('blocked_by_failures')
    # tasker-rb 0.1.10 sends no error message to Tasker, only its code (task_polling.rb).
    expect(error.message).to end_with('failed steps: validate_cart (error): empty_cart')
  end

  def expect_wait_error(task_uuid)
    wait_for_task_completion(task_uuid, max_wait: 30)
  rescue TaskPolling::WaitError => e
    e
  else
    raise 'the task completed'
  end
end
