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
  RUNS = 1_000

  def setup
    @rng = Random.new(Minitest.seed)
  end

  def pick(*choices) = choices[@rng.rand(choices.size)]

  # Strings: short, empty, with a control character, and just past each length limit.
  def hostile_text
    pick('', ' ', 'WIDGET-1', 'ü' * @rng.rand(1..80), 's' * @rng.rand(65..70),
         'n' * @rng.rand(201..210), "#{'a' * @rng.rand(250..260)}@b.co",
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

  # Mostly everyday carts (so that most good orders stay under the total cap and are
  # accepted), sometimes ones at the limits.
  def good_item
    everyday = @rng.rand(5).positive?
    cents = everyday ? @rng.rand(1..100_00) : @rng.rand(1..100_000_00)
    { 'sku' => "SKU-#{@rng.rand(1000)}",
      'quantity' => everyday ? @rng.rand(1..20) : pick(9_999, 10_000),
      'unit_price' => cents / 100.0 }
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

  # An order of `lines` identical lines: one widget at 1.00 unless `line` says.
  def order(lines: 1, email: 'buyer@example.com', **line)
    item = { 'sku' => 'WIDGET-1', 'quantity' => 1, 'unit_price' => 1.0 }
    item.merge!(line.transform_keys(&:to_s))
    { 'customer_email' => email, 'cart_items' => Array.new(lines) { item.dup } }
  end

  # Each limit from both sides, on every run, whatever the generator above happens to
  # draw: the order at the limit is taken and priced exactly, the one just past it is
  # refused with an error on that field.
  def limits
    {
      'cart size' => [order(lines: 100), order(lines: 101), 'cart_items'],
      'quantity' => [order(quantity: 10_000), order(quantity: 10_001),
                     'cart_items[0].quantity'],
      'unit price' => [order(unit_price: 100_000.0), order(unit_price: 100_000.01),
                       'cart_items[0].unit_price'],
      # 9,259 x 100.00 plus 8% tax is 999,972.00; one more is 1,000,080.00.
      'order total' => [order(quantity: 9_259, unit_price: 100.0),
                        order(quantity: 9_260, unit_price: 100.0), 'cart_items'],
      'sku length' => [order(sku: 'S' * 64), order(sku: 'S' * 65), 'cart_items[0].sku'],
      'name length' => [order(name: 'N' * 200), order(name: 'N' * 201),
                        'cart_items[0].name'],
      'email length' => [order(email: "#{'b' * 242}@example.com"),
                         order(email: "#{'b' * 243}@example.com"), 'customer_email']
    }
  end

  def test_an_order_at_a_limit_is_taken_and_one_past_it_refused
    limits.each do |limit, (at, past, field)|
      taken = OrderRequest.new(at)
      assert taken.valid?, "at the #{limit} limit: #{taken.errors}"
      assert_equal independent_total(at), taken.totals[:total], "at the #{limit} limit"
      refused = OrderRequest.new(past)
      # First the spec's own reason, should the model have taken it.
      if refused.valid?
        flunk "past the #{limit} limit, accepted what the spec refuses " \
              "(#{independent_total(past)})"
      end
      assert_includes refused.errors.keys, field, "past the #{limit} limit"
    end
  end
end
