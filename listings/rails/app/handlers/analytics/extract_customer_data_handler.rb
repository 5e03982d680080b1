# frozen_string_literal: true

module Analytics
  class ExtractCustomerDataHandler < Extract
    private

    def source = 'customers'

    def record(day) = { day:, new_customers: 5 + (day % 3) }
  end
end
