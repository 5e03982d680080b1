# frozen_string_literal: true

require 'rails_helper'

RSpec.describe 'Orders', type: :request do
  include_context 'with the example cart'

  def json = response.parsed_body

  describe 'POST /orders' do
    it 'stores the order and creates its task with the order in the context' do
      post '/orders', params: cart, as: :json
      expect(response).to have_http_status(:created)
      expect(json).to include('status' => 'submitted', 'total' => '77.47')

      task = TaskPolling.get_task(json['task_uuid'])
      expect(task).to include('namespace' => 'ecommerce_rb', 'total_steps' => 5)
      expect(task['context']).to include('order_id' => json['id'],
                                         'customer_email' => 'ada@example.com')
      expect(task['context']['cart_items'].first)
        .to include('sku' => 'WIDGET-1', 'quantity' => 2, 'unit_price_cents' => 24_99)
    end

    # ANCHOR: bad_order
    it "names every field of the other chapters' bad order" do
      bad = { customer_email: 'ada',
              cart_items: [{ sku: 'WIDGET-1', quantity: 0, unit_price: '0.001' }] }
      post '/orders', params: bad, as: :json
      expect(response).to have_http_status(422)
      expect(response.parsed_body['fields']).to eq(
        'customer_email' => 'is not a valid email address',
        'cart_items[0].quantity' => 'must be a whole number from 1 to 10000',
        'cart_items[0].unit_price' =>
          'must be an amount from 0.01 to 100000.00, in whole cents'
      )
    end
    # ANCHOR_END: bad_order

    it 'answers bad input with a 422 naming every field, and stores nothing' do
      bad = { customer_email: 'ada',
              cart_items: [{ sku: ' ', quantity: 1.5, unit_price: 5 }] }
      expect { post '/orders', params: bad, as: :json }.not_to change(Order, :count)
      expect(response).to have_http_status(422)
      expect(json).to eq(
        'error' => 'validation_failed',
        'fields' => {
          'customer_email' => 'is not a valid email address',
          'cart_items[0].sku' =>
            'must be 1 to 64 characters, none of them control characters',
          'cart_items[0].quantity' => 'must be a whole number from 1 to 10000',
          'cart_items[0].unit_price' => 'must be a string such as "24.99"'
        }
      )
    end

    it 'refuses money that is not a whole number of cents within the limits' do
      [24.99, 0, '0.00', '-1', '24.999', '1e3', ' 1.00', '100000.01', '',
       nil].each do |price|
        item = { sku: 'W-1', quantity: 1, unit_price: price }
        post '/orders', params: { customer_email: 'x@example.com', cart_items: [item] },
                        as: :json
        expect(json.dig('fields', 'cart_items[0].unit_price')).to be_present,
                                                                  price.inspect
      end
    end

    it 'names what is wrong with the cart itself' do
      item = { sku: 'W-1', quantity: 1, unit_price: '5' }
      {
        { cart_items: [item] } => ['customer_email', 'is required'],
        { customer_email: 'x@example.com', cart_items: [] } =>
          ['cart_items', 'must contain at least one item'],
        { customer_email: 'x@example.com' } =>
          ['cart_items', 'is required and must be a list'],
        { customer_email: 'x@example.com', cart_items: [item] * 101 } =>
          ['cart_items', 'may contain at most 100 items'],
        { customer_email: 'x@example.com',
          cart_items: [item.merge(quantity: 10_000, unit_price: '100000')] } =>
          ['cart_items', 'the order total 1080000000.00 exceeds the limit of 1000000.00']
      }.each do |body, (field, message)|
        post '/orders', params: body, as: :json
        expect(json['fields']).to include(field => message)
      end
    end

    it 'answers a JSON body that is not an object, or not JSON, with a 422' do
      post '/orders', params: '[1]', headers: { 'CONTENT_TYPE' => 'application/json' }
      expect(json['fields']).to eq('body' => 'must be a JSON object')
      post '/orders', params: '{"customer_email": ', headers: {
        'CONTENT_TYPE' => 'application/json'
      }
      expect(response).to have_http_status(422)
      expect(json['fields']['body']).to start_with('is not valid JSON')
      nested = "#{'[' * 101}#{']' * 101}"
      post '/orders', params: nested, headers: { 'CONTENT_TYPE' => 'application/json' }
      expect(json['fields']['body']).to start_with('is not valid JSON')
    end

    it 'refuses a body not sent as JSON with a 415, and stores nothing' do
      expect do
        post '/orders', params: cart.to_json, headers: { 'CONTENT_TYPE' => 'text/plain' }
      end.not_to change(Order, :count)
      expect(response).to have_http_status(415)
      expect(json['fields']).to include('body')
    end

    it 'answers a body over the size limit with a 413, and stores nothing' do
      huge = { customer_email: 'ada@example.com',
               padding: 'x' * OrderRequest::MAX_BODY_BYTES }
      expect { post '/orders', params: huge, as: :json }.not_to change(Order, :count)
      expect(response).to have_http_status(413)
      expect(json['fields']).to include('body')
    end

    it 'takes an Idempotency-Key once and answers a repeat with a 409' do
      headers = { 'Idempotency-Key' => SecureRandom.uuid }
      expect do
        2.times { post '/orders', params: cart, headers:, as: :json }
      end.to change(Order, :count).by(1)
      expect(response).to have_http_status(:conflict)
      expect(json['error']).to eq('duplicate')
    end

    it 'answers a 503 and keeps nothing when Tasker cannot be reached' do
      with_tasker_unreachable do
        expect { post '/orders', params: cart, as: :json }.not_to change(Order, :count)
      end
      expect(response).to have_http_status(:service_unavailable)
      expect(json).to include('error' => 'tasker_unavailable', 'stored' => false)
    end
  end

  describe 'GET /orders/:id' do
    it 'answers with the stored order, and a 404 for an unknown one' do
      post '/orders', params: cart, as: :json
      id = json['id']
      get "/orders/#{id}"
      expect(json).to include('id' => id, 'total' => '77.47', 'status' => 'submitted')
      expect(json['items'].size).to eq(2)
      get "/orders/#{SecureRandom.uuid}"
      expect(response).to have_http_status(:not_found)
    end
  end

  describe 'POST /orders/async' do
    it 'answers 202, then the job creates the task and records it on the order' do
      perform_enqueued_jobs { post '/orders/async', params: cart, as: :json }
      expect(response).to have_http_status(:accepted)
      order = Order.find(json['id'])
      expect(order.status).to eq('submitted')
      expect(TaskPolling.get_task(order.task_uuid)['context']['order_id']).to eq(order.id)
    end

    # ANCHOR: unreachable
    it 'records on the order why the job could not create its task' do
      with_tasker_unreachable do
        perform_enqueued_jobs { post '/orders/async', params: cart, as: :json }
      end
      expect(response).to have_http_status(:accepted)
      order = Order.find(json['id'])
      expect(order).to have_attributes(
        status: 'failed', task_uuid: nil,
        failure_reason: a_string_including('Tasker did not take the task')
      )
    end
    # ANCHOR_END: unreachable
  end
end
