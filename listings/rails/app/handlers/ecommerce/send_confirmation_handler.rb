# frozen_string_literal: true

module Ecommerce
  class SendConfirmationHandler < TaskerCore::StepHandler::Base
    def call(context)
      order = context.get_dependency_result('create_order')
      success(result: { sent_to: context.get_input('customer_email'),
                        order_number: order['order_number'],
                        template: 'order_confirmation' })
    end
  end
end
