# frozen_string_literal: true

# Text a person typed: a String, `within` characters long once trimmed, none of them a
# control character. `validates :sku, text: { within: 1..64 }`.
class TextValidator < ActiveModel::EachValidator
  CONTROL = /\p{Cc}/

  def validate_each(record, attribute, value)
    range = options.fetch(:within)
    return if value.is_a?(String) && range.cover?(value.length) && !value.match?(CONTROL)

    record.errors.add(attribute, self.class.rule(range))
  end

  def self.rule(range)
    low, high = range.minmax
    length = low.positive? ? "#{low} to #{high}" : "at most #{high}"
    "must be #{length} characters, none of them control characters"
  end

  # A string without its surrounding whitespace (String#strip would also drop NUL
  # characters, which must instead be refused as control characters); other values as
  # they are, for the validators to refuse.
  def self.trimmed(value)
    value.is_a?(String) ? value.gsub(/\A[[:space:]]+|[[:space:]]+\z/, '') : value
  end
end
