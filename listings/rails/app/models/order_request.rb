# frozen_string_literal: true

require 'bigdecimal'

# The body of POST /orders, checked field by field: every problem is reported at once,
# keyed by its path (`cart_items[1].quantity`), with the Axum, FastAPI and Bun apps' rules
# and messages. Plain Ruby, so it runs (and is tested) without Rails.
class OrderRequest
  # ANCHOR: limits
  # Larger request bodies are refused before they are parsed (413).
  MAX_BODY_BYTES = 64 * 1024
  MAX_ITEMS = 100
  MAX_QUANTITY = 10_000
  MAX_UNIT_PRICE_CENTS = 100_000_00
  # No order may cost more, tax and shipping included.
  MAX_ORDER_TOTAL_CENTS = 1_000_000_00
  MAX_EMAIL_CHARS = 254
  MAX_SKU_CHARS = 64
  MAX_NAME_CHARS = 200
  # ANCHOR_END: limits

  # One validated cart line; the price in whole cents.
  LineItem = Struct.new(:sku, :name, :quantity, :unit_price_cents, keyword_init: true) do
    # The line as the task context carries it: money in whole cents, never a Float.
    def to_context
      { 'sku' => sku, 'name' => name, 'quantity' => quantity,
        'unit_price_cents' => unit_price_cents }
    end

    # A line back from the task context, or nil where it breaks the API's limits.
    def self.from_context(line)
      cents, quantity = line.values_at('unit_price_cents', 'quantity')
      return nil unless cents.is_a?(Integer) && cents.between?(1, MAX_UNIT_PRICE_CENTS)
      return nil unless quantity.is_a?(Integer) && quantity.between?(1, MAX_QUANTITY)

      new(sku: line['sku'], name: line['name'], quantity:, unit_price_cents: cents)
    end
  end

  attr_reader :email, :items, :errors

  def initialize(body)
    @errors = {}
    @items = []
    @email = ''
    unless body.is_a?(Hash)
      @errors['body'] = 'must be a JSON object'
      return
    end
    @email = OrderRequest.trimmed(body['customer_email']) || ''
    check_email
    @items = OrderRequest.cart(body['cart_items'], @errors)
    check_total if @errors.empty?
  end

  def valid?
    errors.empty?
  end

  def totals
    CartPricing.price(items.map { |i| [i.unit_price_cents, i.quantity] })
  end

  # The cart's lines; what is wrong with them goes into `errors`.
  def self.cart(raw, errors)
    problem =
      if !raw.is_a?(Array) then 'is required and must be a list'
      elsif raw.empty? then 'must contain at least one item'
      elsif raw.size > MAX_ITEMS then "may contain at most #{MAX_ITEMS} items"
      end
    if problem
      errors['cart_items'] = problem
      return []
    end
    raw.each_with_index.filter_map do |item, i|
      line_item(item, "cart_items[#{i}]", errors)
    end
  end

  def self.line_item(item, at, errors)
    unless item.is_a?(Hash)
      errors[at] = 'must be an object'
      return nil
    end

    sku = text(item['sku'], 1, MAX_SKU_CHARS, "#{at}.sku", errors)
    # The name is optional and defaults to the SKU.
    given = item['name']
    name = given.nil? ? sku : text(given, 0, MAX_NAME_CHARS, "#{at}.name", errors)
    quantity = quantity(item['quantity'], "#{at}.quantity", errors)
    cents = price(item['unit_price'], "#{at}.unit_price", errors)
    return nil if [sku, name, quantity, cents].include?(nil)

    LineItem.new(sku:, name:, quantity:, unit_price_cents: cents)
  end

  # Each check returns the value, or records why not and returns nil.
  def self.text(raw, low, high, field, errors)
    value = trimmed(raw)
    return value if label?(value, low, high)

    errors[field] = text_rule(low, high)
    nil
  end

  def self.quantity(raw, field, errors)
    return raw if raw.is_a?(Integer) && raw.between?(1, MAX_QUANTITY)

    errors[field] = "must be a whole number from 1 to #{MAX_QUANTITY}"
    nil
  end

  # Amounts are decimal strings ("24.99"): a JSON number would be read as a binary Float
  # on the way, by this app or any other.
  def self.price(raw, field, errors)
    unless raw.is_a?(String)
      errors[field] = 'must be a string such as "24.99"'
      return nil
    end
    cents = cents_of(raw)
    return cents if cents&.between?(1, MAX_UNIT_PRICE_CENTS)

    limit = CartPricing.text(MAX_UNIT_PRICE_CENTS)
    errors[field] = "must be an amount from 0.01 to #{limit}, in whole cents"
    nil
  end

  # "24.99" → 2499: up to six digits, then at most two decimals; nil for anything else.
  def self.cents_of(text)
    return nil unless text.match?(/\A\d{1,6}(\.\d{1,2})?\z/)

    (BigDecimal(text) * 100).to_i
  end

  # A string without its surrounding whitespace (String#strip would also drop NUL
  # characters, which must instead be refused as control characters); nil for non-strings.
  def self.trimmed(value)
    value.gsub(/\A[[:space:]]+|[[:space:]]+\z/, '') if value.is_a?(String)
  end

  # Text a person typed: low..high characters, none of them control characters.
  def self.label?(text, low, high)
    text.is_a?(String) && text.length.between?(low, high) && !text.match?(/\p{Cc}/)
  end

  def self.text_rule(low, high)
    length = low.positive? ? "#{low} to #{high}" : "at most #{high}"
    "must be #{length} characters, none of them control characters"
  end

  private

  # `user@domain.tld`: printable ASCII without spaces, one `@`, a dot inside the domain.
  def check_email
    if email.empty?
      errors['customer_email'] = 'is required'
    elsif !email?(email)
      errors['customer_email'] = 'is not a valid email address'
    end
  end

  def email?(text)
    user, at, domain = text.partition('@')
    text.match?(/\A[\x21-\x7e]+\z/) && text.length <= MAX_EMAIL_CHARS && !at.empty? &&
      !user.empty? && !domain.include?('@') && domain.include?('.') &&
      !domain.start_with?('.') && !domain.end_with?('.')
  end

  def check_total
    total = totals[:total]
    return if total <= MAX_ORDER_TOTAL_CENTS

    limit = CartPricing.text(MAX_ORDER_TOTAL_CENTS)
    errors['cart_items'] =
      "the order total #{CartPricing.text(total)} exceeds the limit of #{limit}"
  end
end
