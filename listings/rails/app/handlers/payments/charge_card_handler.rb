# frozen_string_literal: true

module Payments
  # ANCHOR: charge_card
  # Fails with a retryable error while the processor is "down" (for as many attempts as
  # the task context's processor_failures): Tasker runs the step again, up to the
  # template's max_attempts.
  class ChargeCardHandler < TaskerCore::StepHandler::Base
    def call(context)
      # retry_count is the step's attempts before this one: 0 on the first run.
      attempt = context.retry_count + 1
      if attempt <= context.get_input('processor_failures')
        return failure(message: "attempt #{attempt}: the card processor did not answer",
                       error_code: 'processor_unavailable', retryable: true)
      end

      success(result: { charged_cents: context.get_input('amount_cents'), attempt: })
    end
  end
  # ANCHOR_END: charge_card
end
