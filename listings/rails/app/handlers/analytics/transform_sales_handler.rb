# frozen_string_literal: true

module Analytics
  class TransformSalesHandler < TaskerCore::StepHandler::Base
    def call(context)
      records = context.get_dependency_result('extract_sales_data')['records']
      summary = { total_orders: records.sum { |r| r['orders'] },
                  total_revenue: records.sum { |r| r['revenue'] } }
      success(result: { days: records.size, summary: })
    end
  end
end
