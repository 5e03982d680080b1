# frozen_string_literal: true

module Analytics
  class TransformInventoryHandler < TaskerCore::StepHandler::Base
    def call(context)
      records = context.get_dependency_result('extract_inventory_data')['records']
      closing = records.last ? records.last['units_on_hand'] : 0
      success(result: { days: records.size, summary: { closing_units: closing } })
    end
  end
end
