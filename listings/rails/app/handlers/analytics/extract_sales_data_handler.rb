# frozen_string_literal: true

module Analytics
  class ExtractSalesDataHandler < Extract
    private

    def source = 'sales'

    def record(day) = { day:, orders: 20 + (day % 7), revenue: 1000 + (37 * day) }
  end
end
