# frozen_string_literal: true

# A JSON integer within `within` (not 1.5, not "3"): `validates :quantity, whole_number:
# { within: 1..10_000 }`.
class WholeNumberValidator < ActiveModel::EachValidator
  def validate_each(record, attribute, value)
    range = options.fetch(:within)
    return if value.is_a?(Integer) && range.cover?(value)

    record.errors.add(attribute,
                      "must be a whole number from #{range.begin} to #{range.end}")
  end
end
