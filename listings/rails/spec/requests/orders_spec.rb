# frozen_string_literal: true

require 'rails_helper'

# Needs the worker (tasker-rb) running in the app: start it with TASKER_TEMPLATE_PATH set.
RSpec.describe 'Orders', type: :request do
  let(:cart) do
    { customer_email: 'ada@example.com',
      cart_items: [{ sku: 'WIDGET-1', name: 'Widget', quantity: 2, unit_price: 24.99 },
                   { sku: 'GADGET-7', name: 'Gadget', quantity: 1, unit_price: 12.50 }] }
  end

  # ANCHOR: spec
  it 'creates an order whose task runs all five steps' do
    post '/orders', params: cart, as: :json
    expect(response).to have_http_status(:created)
    order = response.parsed_body

    task = wait_for_task_completion(order['task_uuid'], max_wait: 30)
    expect(task).to include('status' => 'complete', 'completed_steps' => 5)
    expect(Order.find(order['id']).total).to eq(BigDecimal('77.47'))
  end
  # ANCHOR_END: spec

  it 'answers bad input with a 422 naming every field, and stores nothing' do
    bad = { customer_email: 'ada',
            cart_items: [{ sku: 'W', quantity: 0, unit_price: 1 }] }
    expect { post '/orders', params: bad, as: :json }.not_to change(Order, :count)
    expect(response).to have_http_status(:unprocessable_entity)
    fields = response.parsed_body['fields'].keys
    expect(fields).to contain_exactly('customer_email', 'cart_items[0].quantity')
  end

  it 'answers a body over the size limit with a 413, and stores nothing' do
    huge = { customer_email: 'ada@example.com',
             padding: 'x' * OrderRequest::MAX_BODY_BYTES }
    expect { post '/orders', params: huge, as: :json }.not_to change(Order, :count)
    expect(response).to have_http_status(:content_too_large)
    expect(response.parsed_body['fields']).to include('body')
  end

  it 'records on the order why a background job could not create its task' do
    allow(TaskerCore::Client).to receive(:create_task)
      .and_raise(StandardError, 'connection refused')
    perform_enqueued_jobs { post '/orders/async', params: cart, as: :json }
    expect(response).to have_http_status(:accepted)
    order = Order.find(response.parsed_body['id'])
    expect(order).to have_attributes(
      status: 'failed', failure_reason: a_string_including('connection refused')
    )
  end
end
