# frozen_string_literal: true

module Payments
  class SendReceiptHandler < TaskerCore::StepHandler::Base
    def call(context)
      charge = context.get_dependency_result('charge_card')
      success(result: { receipt_for_cents: charge['charged_cents'] })
    end
  end
end
