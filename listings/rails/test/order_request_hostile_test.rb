# frozen_string_literal: true

require 'minitest/autorun'
require 'json'
require_relative '../app/models/order_request'
require_relative '../app/models/cart_pricing'

# Hostile input, generated from a seed: whatever a client sends, OrderRequest names at
# least one field, or accepts the order with exactly the total an independent
# integer-cents computation gives. A failure prints the seed and the body; `SEED=<n> ruby
# test/all.rb` replays it (minitest passes its seed to Random here).
class OrderRequestHostileTest < Minitest::Test
  RUNS = 400

  def setup
    @rng = Random.new(Minitest.seed)
  end

  def pick(*choices) = choices[@rng.rand(choices.size)]

  def hostile_text
    pick('', ' ', 'WIDGET-1', 'ü' * @rng.rand(1..80), 'x' * @rng.rand(60..300),
         "a#{@rng.rand(0..31).chr}b", "\u202e\u0000", 7, nil, [], {})
  end

  def hostile_money
    pick(0, -0.0, -0.01, 0.001, 0.005, 1e-9, 24.999, 0.1 + 0.2, 100_000.01, 1e308,
         Float::NAN, Float::INFINITY, @rng.rand(-1e9..1e12),
         @rng.rand(1..100_000_00) / 100.0,
         @rng.rand(1..1000) / 1000.0, '24.99', nil, true, [])
  end

  def hostile_quantity
    pick(0, -1, 10_001, 2**63, 1.5, 2.0, '3', nil, true, @rng.rand(-5..12_000))
  end

  def good_item
    { 'sku' => "SKU-#{@rng.rand(1000)}",
      'quantity' => pick(@rng.rand(1..20), 9_999, 10_000),
      'unit_price' => @rng.rand(1..100_000_00) / 100.0 }
  end

  # A good order with one field replaced by hostile input, or something else entirely.
  def hostile_body
    body = { 'customer_email' => 'buyer@example.com',
             'cart_items' => Array.new(@rng.rand(1..4)) { good_item } }
    case @rng.rand(8)
    when 0 then body['customer_email'] =
                  pick(hostile_text, 'a@', '@b.co', 'a@b', 'a b@c.de')
    when 1 then body['cart_items'].sample(random: @rng)['sku'] = hostile_text
    when 2 then body['cart_items'].sample(random: @rng)['name'] = hostile_text
    when 3 then body['cart_items'].sample(random: @rng)['quantity'] = hostile_quantity
    when 4 then body['cart_items'].sample(random: @rng)['unit_price'] = hostile_money
    when 5 then body['cart_items'] =
                  pick([], [1], 'x', nil, [good_item] * @rng.rand(99..102))
    when 6 then body = pick([], 'x', 7, nil)
    end
    body
  end

  def bounded_text?(value, low, high)
    value.is_a?(String) && value.strip.length.between?(low,
                                                       high) && !value.match?(/\p{Cc}/)
  end

  # The order total the spec gives, in cents, or a String saying why it must be refused.
  def independent_total(body)
    items = body['cart_items']
    return 'cart size' unless items.is_a?(Array) && items.size.between?(1, 100)
    return 'email' unless bounded_text?(body['customer_email'], 3, 254)

    subtotal = 0
    items.each do |item|
      return "sku #{item['sku'].inspect}" unless bounded_text?(item['sku'], 1, 64)
      return 'name' unless item['name'].nil? || bounded_text?(item['name'], 0, 200)

      quantity = item['quantity']
      whole = quantity.is_a?(Integer) && quantity.between?(1, 10_000)
      return "quantity #{quantity.inspect}" unless whole

      match = /\A(\d+)(?:\.(\d{1,2}))?\z/.match(item['unit_price'].to_s)
      unless item['unit_price'].is_a?(Numeric) && match
        return "price #{item['unit_price'].inspect}"
      end

      cents = (Integer(match[1], 10) * 100) + (match[2] || '').ljust(2, '0').to_i
      return "price #{item['unit_price'].inspect}" unless cents.between?(1, 100_000_00)

      subtotal += cents * quantity
    end
    total = subtotal + (((subtotal * 8) + 50) / 100) + (subtotal >= 100_00 ? 0 : 9_99)
    total <= 1_000_000_00 ? total : 'order total over the limit'
  end

  def test_hostile_orders_are_refused_with_field_errors_or_priced_exactly
    RUNS.times do
      body = hostile_body
      input = OrderRequest.new(body)
      context = "seed #{Minitest.seed}, body #{body.inspect[0, 300]}"
      if input.valid?
        want = independent_total(body)
        assert_kind_of Integer, want,
                       "accepted what the spec refuses (#{want}): #{context}"
        assert_equal want, input.totals[:total], "priced differently: #{context}"
      else
        refute_empty input.errors, context
      end
    end
  end
end
