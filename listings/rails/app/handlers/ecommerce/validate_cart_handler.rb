# frozen_string_literal: true

module Ecommerce
  # ANCHOR: validate_cart
  # Prices the cart in whole cents: line totals, subtotal, 8% tax, shipping (free from
  # 100.00), total. Each line passes the API's limits again, so the total is the quote.
  class ValidateCartHandler < TaskerCore::StepHandler::Base
    def call(context)
      items = context.get_input('cart_items') || []
      if items.empty?
        return failure(message: 'the cart has no items', error_code: 'empty_cart',
                       retryable: false)
      end
      unless items.all? { |item| within_limits?(item) }
        return failure(message: 'a line breaks the limits', error_code: 'invalid_item',
                       retryable: false)
      end

      success(result: priced(items))
    end

    private

    def within_limits?(item)
      cents, quantity = item.values_at('unit_price_cents', 'quantity')
      cents.is_a?(Integer) && cents.between?(1, OrderRequest::MAX_UNIT_PRICE_CENTS) &&
        quantity.is_a?(Integer) && quantity.between?(1, OrderRequest::MAX_QUANTITY)
    end

    def priced(items)
      totals = CartPricing.price(items.map do |i|
                                   i.values_at('unit_price_cents', 'quantity')
                                 end)
      validated = items.zip(totals[:line_totals]).map do |item, cents|
        item.merge('line_total_cents' => cents)
      end
      { validated_items: validated, item_count: items.sum { |i| i['quantity'] },
        tax_rate_percent: CartPricing::TAX_RATE_PERCENT,
        subtotal_cents: totals[:subtotal], tax_cents: totals[:tax],
        shipping_cents: totals[:shipping], total_cents: totals[:total] }
    end
  end
  # ANCHOR_END: validate_cart
end
