# frozen_string_literal: true

require 'bigdecimal'

# Money in BigDecimal, rounded half-up to cents, so totals add up exactly. The controller
# quotes the customer the same total the validate_cart handler computes.
module CartPricing
  TAX_RATE = BigDecimal('0.08')
  FREE_SHIPPING_FROM = BigDecimal('100.00')
  FLAT_SHIPPING = BigDecimal('9.99')

  module_function

  def money(value)
    BigDecimal(value.to_s).round(2, BigDecimal::ROUND_HALF_UP)
  end

  # Line totals, subtotal, tax, shipping and total for items with quantity and unit_price.
  def price(items)
    lines = items.map { |item| money(item.fetch('unit_price')) * Integer(item.fetch('quantity')) }
    subtotal = lines.sum(BigDecimal('0'))
    tax = (subtotal * TAX_RATE).round(2, BigDecimal::ROUND_HALF_UP)
    shipping = subtotal >= FREE_SHIPPING_FROM ? BigDecimal('0') : FLAT_SHIPPING
    { line_totals: lines, subtotal:, tax:, shipping:, total: subtotal + tax + shipping }
  end
end
