# frozen_string_literal: true

module Analytics
  class TransformCustomersHandler < TaskerCore::StepHandler::Base
    def call(context)
      records = context.get_dependency_result('extract_customer_data')['records']
      summary = { new_customers: records.sum { |r| r['new_customers'] } }
      success(result: { days: records.size, summary: })
    end
  end
end
