# frozen_string_literal: true

# Money in whole cents (Integers), so totals add up exactly. The controller quotes the
# customer the same total the validate_cart handler computes.
module CartPricing
  TAX_RATE_PERCENT = 8
  FREE_SHIPPING_FROM_CENTS = 100_00
  FLAT_SHIPPING_CENTS = 9_99

  module_function

  # Line totals, subtotal, tax (rounded half up), shipping and total, in cents, for
  # [unit price in cents, quantity] lines.
  def price(lines)
    line_totals = lines.map { |cents, quantity| cents * quantity }
    subtotal = line_totals.sum
    tax = ((subtotal * TAX_RATE_PERCENT) + 50) / 100
    shipping = subtotal >= FREE_SHIPPING_FROM_CENTS ? 0 : FLAT_SHIPPING_CENTS
    { line_totals:, subtotal:, tax:, shipping:, total: subtotal + tax + shipping }
  end

  # 1234567 → "12345.67", as the apps write amounts in messages.
  def text(cents)
    format('%<whole>d.%<part>02d', whole: cents / 100, part: cents % 100)
  end
end
