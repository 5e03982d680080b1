# frozen_string_literal: true

module Review
  # Converges the branches: it depends on both, and Tasker makes it wait for the one the
  # decision created.
  class ConfirmOrderHandler < TaskerCore::StepHandler::Base
    def call(context)
      approval = context.get_dependency_result('manual_review') ||
                 context.get_dependency_result('auto_approve')
      success(result: { confirmed: approval['approved'], approved_by: approval['by'] })
    end
  end
end
