# frozen_string_literal: true

module Review
  # Orders of REVIEW_FROM_CENTS or more get a manual_review step instead of auto_approve.
  REVIEW_FROM_CENTS = 100_000

  class AssessOrderHandler < TaskerCore::StepHandler::Base
    def call(context)
      total_cents = context.get_input('total_cents')
      success(result: { total_cents:, needs_review: total_cents >= REVIEW_FROM_CENTS })
    end
  end
end
