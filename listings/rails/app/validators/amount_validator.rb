# frozen_string_literal: true

# An amount of money as a decimal string of whole cents ("24.99"), its cents within
# `within`. Never a JSON number: JSON.parse reads 24.99 as a binary Float.
# `validates :unit_price, amount: { within: 1..100_000_00 }`.
class AmountValidator < ActiveModel::EachValidator
  def validate_each(record, attribute, value)
    unless value.is_a?(String)
      record.errors.add(attribute, 'must be a string such as "24.99"')
      return
    end
    range = options.fetch(:within)
    return if self.class.cents(value)&.then { |cents| range.cover?(cents) }

    limits = [range.begin, range.end].map { |cents| CartPricing.text(cents) }
    record.errors.add(attribute,
                      "must be an amount from #{limits.join(' to ')}, in whole cents")
  end

  # "24.99" → 2499: up to six digits, then at most two decimals; nil for anything else.
  def self.cents(text)
    return nil unless text.is_a?(String) && text.match?(/\A\d{1,6}(\.\d{1,2})?\z/)

    (BigDecimal(text) * 100).to_i
  end
end
