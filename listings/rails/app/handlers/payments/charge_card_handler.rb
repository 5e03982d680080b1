# frozen_string_literal: true

module Payments
  # ANCHOR: charge_card
  # Fails with a retryable error while the processor is "down" (for as many attempts as
  # the task context's processor_failures): Tasker runs the step again, up to the
  # template's max_attempts. Then charges the payment once, keyed by its id: a payment
  # charged before (by an earlier attempt or task for it) answers with that charge.
  class ChargeCardHandler < TaskerCore::StepHandler::Base
    def call(context)
      # retry_count is the step's attempts before this one: 0 on the first run.
      attempt = context.retry_count + 1
      if attempt <= context.get_input('processor_failures')
        return failure(message: "attempt #{attempt}: the card processor did not answer",
                       error_code: 'processor_unavailable', retryable: true)
      end

      charge = Charge.charge_once!(payment_id: context.get_input('payment_id'),
                                   amount_cents: context.get_input('amount_cents'),
                                   task_uuid: context.task_uuid, attempt:)
      success(result: { charged_cents: charge.amount_cents, attempt:,
                        charged_by_task: charge.task_uuid })
    end
  end
  # ANCHOR_END: charge_card
end
