# frozen_string_literal: true

module Analytics
  class GenerateInsightsHandler < TaskerCore::StepHandler::Base
    def call(context)
      metrics = context.get_dependency_result('aggregate_metrics')
      insights = ["#{metrics['total_orders']} orders brought in " \
                  "#{metrics['total_revenue']} in revenue"]
      if metrics['closing_units'] < 450
        insights << 'inventory is running low: reorder soon'
      end
      success(result: { insights:, metrics: })
    end
  end
end
