# frozen_string_literal: true

module Review
  # ANCHOR: route_order
  # The decision point: decision_success names the steps Tasker creates next. Only steps
  # the template declares as this step's children can be named.
  class RouteOrderHandler < TaskerCore::StepHandler::Base
    include TaskerCore::StepHandler::Mixins::Decision

    def call(context)
      assessment = context.get_dependency_result('assess_order')
      branch = assessment['needs_review'] ? 'manual_review' : 'auto_approve'
      decision_success(steps: [branch], result_data: { route: branch })
    end
  end
  # ANCHOR_END: route_order
end
