# frozen_string_literal: true

module Ecommerce
  # ANCHOR: validate_cart
  # Prices the cart: line totals, subtotal, 8% tax, shipping (free from 100.00), total.
  class ValidateCartHandler < TaskerCore::StepHandler::Base
    def call(context)
      items = context.get_input('cart_items') || []
      raise TaskerCore::Errors::PermanentError.new('the cart has no items', error_code: 'empty_cart') if items.empty?

      priced = CartPricing.price(items)
      validated = items.zip(priced[:line_totals]).map { |item, line| item.merge('line_total' => line.to_f) }
      success(result: {
                validated_items: validated,
                item_count: validated.sum { |item| item['quantity'] },
                subtotal: priced[:subtotal].to_f, tax: priced[:tax].to_f, tax_rate: CartPricing::TAX_RATE.to_f,
                shipping: priced[:shipping].to_f, total: priced[:total].to_f
              })
    end
  end
  # ANCHOR_END: validate_cart
end
