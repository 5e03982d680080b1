# frozen_string_literal: true

module Ecommerce
  class CreateOrderHandler < TaskerCore::StepHandler::Base
    def call(context)
      cart = context.get_dependency_result('validate_cart')
      payment = context.get_dependency_result('process_payment')
      order_id = context.get_input('order_id').to_s
      success(result: { order_number: "ORD-#{order_id[0, 8].upcase}", order_id:,
                        total_cents: cart['total_cents'],
                        payment_id: payment['payment_id'],
                        item_count: cart['item_count'] })
    end
  end
end
