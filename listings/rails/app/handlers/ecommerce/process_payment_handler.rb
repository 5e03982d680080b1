# frozen_string_literal: true

module Ecommerce
  class ProcessPaymentHandler < TaskerCore::StepHandler::Base
    def call(context)
      cart = context.get_dependency_result('validate_cart')
      success(result: { payment_id: "pay_#{context.step_uuid.delete('-')}",
                        amount_charged_cents: cart['total_cents'], currency: 'USD',
                        customer_email: context.get_input('customer_email'),
                        status: 'captured' })
    end
  end
end
