# frozen_string_literal: true

module Ecommerce
  class UpdateInventoryHandler < TaskerCore::StepHandler::Base
    def call(context)
      cart = context.get_dependency_result('validate_cart')
      reservations = cart['validated_items'].map do |i|
        { sku: i['sku'], quantity_reserved: i['quantity'] }
      end
      success(result: { reservations:, units_reserved: cart['item_count'] })
    end
  end
end
