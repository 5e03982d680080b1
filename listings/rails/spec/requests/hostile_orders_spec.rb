# frozen_string_literal: true

require 'rails_helper'

# Whatever a client sends, the API names at least one field and stores nothing, or takes
# the order with exactly the total the rules give. Bodies go to POST /orders/async, whose
# job is left queued: the order is stored and priced, no task is created. A failure names
# the seed; SEED=<n> replays it.
RSpec.describe 'Hostile orders', type: :request do
  runs = 1_000
  seed = Integer(ENV.fetch('SEED', Random.new_seed.to_s[0, 6]))

  def order(lines: 1, email: 'buyer@example.com', **line)
    item = { 'sku' => 'WIDGET-1', 'quantity' => 1, 'unit_price' => '1.00' }
    item.merge!(line.transform_keys(&:to_s))
    { 'customer_email' => email, 'cart_items' => Array.new(lines) { item.dup } }
  end

  def send_order(body)
    post '/orders/async', params: body.to_json,
                          headers: { 'CONTENT_TYPE' => 'application/json' }
    response.parsed_body
  end

  it "refuses with field errors or prices exactly (seed #{seed})" do
    bodies = HostileOrders.new(seed)
    runs.times do
      body = bodies.body
      want = HostileOrders.total(body)
      context = "seed #{seed}, body #{body.inspect[0, 300]}"
      before = Order.count
      answer = send_order(body)
      if want.is_a?(Integer)
        expect(response).to have_http_status(:accepted), "#{context}: #{answer}"
        expect(Order.find(answer['id']).total_cents).to eq(want), context
      else
        expect(response).to have_http_status(422), "refused for #{want}: #{context}"
        expect(answer['fields']).not_to be_empty, context
      end
      expect(Order.count - before).to eq(want.is_a?(Integer) ? 1 : 0), context
    end
  end

  # Each limit from both sides: the order at the limit is taken and priced exactly, the
  # one just past it refused with an error on that field.
  {
    'cart size' => [{ lines: 100 }, { lines: 101 }, 'cart_items'],
    'quantity' => [{ quantity: 10_000 }, { quantity: 10_001 }, 'cart_items[0].quantity'],
    'unit price' => [{ unit_price: '100000.00' }, { unit_price: '100000.01' },
                     'cart_items[0].unit_price'],
    # 9,259 x 100.00 plus 8% tax is 999,972.00; one more is 1,000,080.00.
    'order total' => [{ quantity: 9_259, unit_price: '100.00' },
                      { quantity: 9_260, unit_price: '100.00' }, 'cart_items'],
    'sku length' => [{ sku: 'S' * 64 }, { sku: 'S' * 65 }, 'cart_items[0].sku'],
    'name length' => [{ name: 'N' * 200 }, { name: 'N' * 201 }, 'cart_items[0].name'],
    'email length' => [{ email: "#{'b' * 242}@example.com" },
                       { email: "#{'b' * 243}@example.com" }, 'customer_email']
  }.each do |limit, (at, past, field)|
    it "takes an order at the #{limit} limit and refuses one past it" do
      taken = send_order(order(**at))
      expect(response).to have_http_status(:accepted), taken.to_s
      expect(Order.find(taken['id']).total_cents).to eq(HostileOrders.total(order(**at)))
      expect(send_order(order(**past))['fields']).to include(field)
    end
  end
end
