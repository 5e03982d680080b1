# frozen_string_literal: true

# Order bodies generated from a seed, mostly good ones with one field made hostile, and
# the total an independent integer-cents computation gives each (or why it must be
# refused).
class HostileOrders
  def initialize(seed)
    @rng = Random.new(seed)
  end

  def pick(*choices) = choices[@rng.rand(choices.size)]

  # Strings: short, empty, with a control character, and just past each length limit.
  def text
    pick('', ' ', 'WIDGET-1', 'ü' * @rng.rand(1..80), 's' * @rng.rand(65..70),
         'n' * @rng.rand(201..210), "#{'a' * @rng.rand(250..260)}@b.co",
         "a#{@rng.rand(0..31).chr}b", "\u202e\u0000", 7, nil, [], {})
  end

  # Amounts are decimal strings; near misses: JSON numbers, signs, exponents, spaces,
  # sub-cent digits, non-ASCII digits, just past the limits.
  def money
    pick(24.99, 0, 1, '0', '0.00', '-0.01', '+1.00', '0.001', '24.999', '1e3', ' 1.00',
         '1.00 ', '1.', '.50', '1,00', "\u0663.00", '100000.01', '1000000',
         amount(@rng.rand(0..200_000_00)), (@rng.rand(1..200_000_000) / 1000.0).to_s,
         @rng.rand(-1e9..1e12), nil, true, [])
  end

  # 1999 → "19.99", as a client sends an amount.
  def amount(cents)
    format('%<whole>d.%<part>02d', whole: cents / 100,
                                   part: cents % 100)
  end

  def quantity
    pick(0, -1, 10_001, 2**63, 1.5, 2.0, '3', nil, true, @rng.rand(-5..12_000))
  end

  # Mostly everyday lines (so that most good orders stay under the total cap), sometimes
  # ones at the limits.
  def good_item
    everyday = @rng.rand(5).positive?
    cents = everyday ? @rng.rand(1..100_00) : @rng.rand(1..100_000_00)
    { 'sku' => "SKU-#{@rng.rand(1000)}",
      'quantity' => everyday ? @rng.rand(1..20) : pick(9_999, 10_000),
      'unit_price' => amount(cents) }
  end

  # A good order with one field replaced by hostile input, or something else entirely.
  def body
    body = { 'customer_email' => 'buyer@example.com',
             'cart_items' => Array.new(@rng.rand(1..4)) { good_item } }
    line = body['cart_items'].sample(random: @rng)
    case @rng.rand(8)
    when 0 then body['customer_email'] = pick(text, 'a@', '@b.co', 'a@b', 'a b@c.de')
    when 1 then line['sku'] = text
    when 2 then line['name'] = text
    when 3 then line['quantity'] = quantity
    when 4 then line['unit_price'] = money
    when 5
      body['cart_items'] = pick([], [1], 'x', nil, [good_item] * @rng.rand(99..102))
    when 6 then body = pick([], 'x', 7, nil)
    end
    body
  end

  def self.bounded_text?(value, low, high)
    value.is_a?(String) && value.strip.length.between?(low, high) &&
      !value.match?(/\p{Cc}/)
  end

  # user@domain.tld: printable ASCII without spaces, one @, a dot inside the domain.
  def self.email?(value)
    text = value.is_a?(String) ? value.strip : ''
    user, domain, extra = text.split('@', -1)
    text.match?(/\A[\x21-\x7e]{3,254}\z/) && extra.nil? && !user.to_s.empty? &&
      domain.to_s.include?('.') && !domain.start_with?('.') && !domain.end_with?('.')
  end

  # The order total the API's rules give, in cents, or a String saying why it must be
  # refused. Written apart from OrderRequest, from the rules as the chapter states them.
  def self.total(body)
    return 'not an object' unless body.is_a?(Hash)

    items = body['cart_items']
    return 'cart size' unless items.is_a?(Array) && items.size.between?(1, 100)
    return 'email' unless email?(body['customer_email'])

    subtotal = 0
    items.each do |item|
      cents = line_cents(item)
      return cents if cents.is_a?(String)

      subtotal += cents
    end
    total = subtotal + (((subtotal * 8) + 50) / 100) + (subtotal >= 100_00 ? 0 : 9_99)
    total <= 1_000_000_00 ? total : 'order total over the limit'
  end

  def self.line_cents(item)
    return 'line' unless item.is_a?(Hash)
    return "sku #{item['sku'].inspect}" unless bounded_text?(item['sku'], 1, 64)
    return 'name' unless item['name'].nil? || bounded_text?(item['name'], 0, 200)

    quantity = item['quantity']
    return "quantity #{quantity.inspect}" unless quantity.is_a?(Integer) &&
                                                 quantity.between?(1, 10_000)

    cents = cents(item['unit_price'])
    return "price #{item['unit_price'].inspect}" unless cents&.between?(1, 100_000_00)

    cents * quantity
  end

  # A decimal string of up to six digits and at most two decimals, in cents.
  def self.cents(price)
    match = /\A([0-9]{1,6})(?:\.([0-9]{1,2}))?\z/.match(price) if price.is_a?(String)
    return nil unless match

    (Integer(match[1], 10) * 100) + match[2].to_s.ljust(2, '0').to_i
  end
end
