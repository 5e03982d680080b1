# frozen_string_literal: true

# The body of POST /orders, checked field by field: every problem is reported at once, keyed
# by its path (`cart_items[1].quantity`), with the Axum, FastAPI and Bun apps' messages.
# Plain Ruby, so it runs (and is tested) without Rails.
class OrderRequest
  attr_reader :email, :items, :errors

  def initialize(body)
    @errors = {}
    @items = []
    @email = ''
    if body.is_a?(Hash)
      @email = body['customer_email'].to_s.strip
      check_email
      check_items(body['cart_items'])
    else
      @errors['body'] = 'must be a JSON object'
    end
  end

  def valid?
    errors.empty?
  end

  private

  def check_email
    user, _, domain = email.partition('@')
    if email.empty?
      errors['customer_email'] = 'is required'
    elsif user.empty? || !domain.include?('.') || domain.start_with?('.') || domain.end_with?('.') ||
          email.include?(' ')
      errors['customer_email'] = 'is not a valid email address'
    end
  end

  def check_items(raw)
    return errors['cart_items'] = 'is required and must be a list' unless raw.is_a?(Array)
    return errors['cart_items'] = 'must contain at least one item' if raw.empty?

    raw.each_with_index { |item, i| check_item(item.is_a?(Hash) ? item : {}, "cart_items[#{i}]") }
  end

  def check_item(item, at)
    sku = item['sku'].to_s.strip
    quantity = item['quantity']
    price = item['unit_price']
    errors["#{at}.sku"] = 'is required' if sku.empty?
    errors["#{at}.quantity"] = 'must be a whole number from 1 to 10000' unless whole_quantity?(quantity)
    errors["#{at}.unit_price"] = 'must be a number greater than 0' unless positive_price?(price)
    name = item['name'].to_s.strip
    @items << { 'sku' => sku, 'name' => name.empty? ? sku : name, 'quantity' => quantity, 'unit_price' => price }
  end

  def whole_quantity?(value)
    value.is_a?(Integer) && value.between?(1, 10_000)
  end

  def positive_price?(value)
    value.is_a?(Numeric) && value.to_f.finite? && value.positive?
  end
end
