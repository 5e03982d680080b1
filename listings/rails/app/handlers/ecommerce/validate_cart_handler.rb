# frozen_string_literal: true

module Ecommerce
  # ANCHOR: validate_cart
  # Prices the cart: line totals, subtotal, 8% tax, shipping (free from 100.00), total.
  # The cart passes the same checks as the API's, so the totals match the quote.
  class ValidateCartHandler < TaskerCore::StepHandler::Base
    def call(context)
      items = context.get_input('cart_items') || []
      if items.empty?
        raise TaskerCore::Errors::PermanentError.new('the cart has no items',
                                                     error_code: 'empty_cart')
      end

      errors = {}
      lines = OrderRequest.cart(items, errors)
      unless errors.empty?
        raise TaskerCore::Errors::PermanentError.new("bad quantity or price: #{errors}",
                                                     error_code: 'invalid_item')
      end

      success(result: priced(lines))
    end

    private

    def priced(lines)
      totals = CartPricing.price(lines.map { |l| [l.unit_price_cents, l.quantity] })
      dollars = ->(cents) { CartPricing.dollars(cents) }
      validated = lines.zip(totals[:line_totals]).map do |line, total|
        line.to_context.merge('line_total' => dollars.call(total))
      end
      { validated_items: validated, item_count: lines.sum(&:quantity),
        subtotal: dollars.call(totals[:subtotal]), tax: dollars.call(totals[:tax]),
        tax_rate: CartPricing::TAX_RATE_PERCENT / 100.0,
        shipping: dollars.call(totals[:shipping]), total: dollars.call(totals[:total]) }
    end
  end
  # ANCHOR_END: validate_cart
end
