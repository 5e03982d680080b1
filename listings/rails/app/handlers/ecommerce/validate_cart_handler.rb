# frozen_string_literal: true

module Ecommerce
  # ANCHOR: validate_cart
  # Prices the cart in whole cents: line totals, subtotal, 8% tax, shipping (free from
  # 100.00), total. Each line passes the API's limits again, so the total is the quote.
  class ValidateCartHandler < TaskerCore::StepHandler::Base
    def call(context)
      items = context.get_input('cart_items') || []
      if items.empty?
        raise TaskerCore::Errors::PermanentError.new('the cart has no items',
                                                     error_code: 'empty_cart')
      end

      lines = items.map { |item| OrderRequest::LineItem.from_context(item) }
      if lines.include?(nil)
        raise TaskerCore::Errors::PermanentError.new('a line breaks the limits',
                                                     error_code: 'invalid_item')
      end

      success(result: priced(lines))
    end

    private

    def priced(lines)
      totals = CartPricing.price(lines.map { |l| [l.unit_price_cents, l.quantity] })
      validated = lines.zip(totals[:line_totals]).map do |line, cents|
        line.to_context.merge('line_total_cents' => cents)
      end
      { validated_items: validated, item_count: lines.sum(&:quantity),
        tax_rate_percent: CartPricing::TAX_RATE_PERCENT,
        subtotal_cents: totals[:subtotal], tax_cents: totals[:tax],
        shipping_cents: totals[:shipping], total_cents: totals[:total] }
    end
  end
  # ANCHOR_END: validate_cart
end
