# frozen_string_literal: true

module Analytics
  # ANCHOR: aggregate_metrics
  # Joins the three transformed sources into one set of metrics.
  class AggregateMetricsHandler < TaskerCore::StepHandler::Base
    def call(context)
      sales = context.get_dependency_result('transform_sales')['summary']
      inventory = context.get_dependency_result('transform_inventory')['summary']
      customers = context.get_dependency_result('transform_customers')['summary']
      orders = sales['total_orders']
      revenue = sales['total_revenue']
      success(result: {
                total_revenue: revenue, total_orders: orders,
                average_order_value: orders.positive? ? revenue.fdiv(orders) : 0.0,
                closing_units: inventory['closing_units'],
                new_customers: customers['new_customers']
              })
    end
  end
  # ANCHOR_END: aggregate_metrics
end
