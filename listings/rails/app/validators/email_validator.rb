# frozen_string_literal: true

# `user@domain.tld`: printable ASCII without spaces, one `@`, a dot inside the domain, at
# most `maximum` characters. `validates :customer_email, email: { maximum: 254 }`.
class EmailValidator < ActiveModel::EachValidator
  def validate_each(record, attribute, value)
    if value.blank?
      record.errors.add(attribute, 'is required')
    elsif !email?(value, options.fetch(:maximum))
      record.errors.add(attribute, 'is not a valid email address')
    end
  end

  private

  def email?(text, maximum)
    return false unless text.is_a?(String) && text.length <= maximum

    user, at, domain = text.partition('@')
    text.match?(/\A[\x21-\x7e]+\z/) && !at.empty? && !user.empty? &&
      !domain.include?('@') && domain.include?('.') && !domain.start_with?('.') &&
      !domain.end_with?('.')
  end
end
