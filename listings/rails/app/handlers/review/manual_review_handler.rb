# frozen_string_literal: true

module Review
  # Stands in for a person's decision: a real app would wait for one here.
  class ManualReviewHandler < TaskerCore::StepHandler::Base
    def call(context)
      success(result: { approved: true, by: 'review queue',
                        total_cents: context.get_input('total_cents') })
    end
  end
end
