# frozen_string_literal: true

module Analytics
  class ExtractInventoryDataHandler < Extract
    private

    def source = 'inventory'

    def record(day) = { day:, units_on_hand: 500 - (3 * day) }
  end
end
