# frozen_string_literal: true

# The body of POST /orders, validated with ActiveModel: one validator per rule
# (app/validators), every problem reported at once and keyed by its path
# (`cart_items[1].quantity`), with the limits of the Axum, FastAPI and Bun apps.
class OrderRequest
  include ActiveModel::Validations

  # ANCHOR: limits
  # Larger request bodies are refused before they are parsed (413).
  MAX_BODY_BYTES = 64 * 1024
  MAX_ITEMS = 100
  MAX_QUANTITY = 10_000
  MAX_UNIT_PRICE_CENTS = 100_000_00
  # No order may cost more, tax and shipping included.
  MAX_ORDER_TOTAL_CENTS = 1_000_000_00
  MAX_EMAIL_CHARS = 254
  MAX_SKU_CHARS = 64
  MAX_NAME_CHARS = 200
  # ANCHOR_END: limits

  # ANCHOR: validations
  attr_reader :customer_email, :cart_items

  validates :customer_email, email: { maximum: MAX_EMAIL_CHARS }
  validate :cart_holds_valid_items
  # Priced only once every line is valid.
  validate :total_within_the_limit, if: -> { errors.empty? }
  # ANCHOR_END: validations

  def initialize(params)
    @customer_email = TextValidator.trimmed(params[:customer_email])
    items = params[:cart_items]
    @cart_items = items.is_a?(Array) ? items.map { |i| line(i) } : items
  end

  # Subtotal, tax, shipping and total of the cart, in cents.
  def totals
    CartPricing.price(cart_items.map { |i| [i.unit_price_cents, i.quantity] })
  end

  private

  def cart_holds_valid_items
    problem =
      if !cart_items.is_a?(Array) then 'is required and must be a list'
      elsif cart_items.empty? then 'must contain at least one item'
      elsif cart_items.size > MAX_ITEMS then "may contain at most #{MAX_ITEMS} items"
      end
    return errors.add(:cart_items, problem) if problem

    cart_items.each_with_index do |item, i|
      next errors.add(:"cart_items[#{i}]", 'must be an object') if item.nil?
      next if item.valid?

      item.errors.each { |e| errors.add(:"cart_items[#{i}].#{e.attribute}", e.message) }
    end
  end

  # A cart line, or nil where the element is not a JSON object.
  def line(item)
    object = item.is_a?(ActionController::Parameters) || item.is_a?(Hash)
    CartItemRequest.new(item) if object
  end

  def total_within_the_limit
    total = totals[:total]
    return if total <= MAX_ORDER_TOTAL_CENTS

    limit = CartPricing.text(MAX_ORDER_TOTAL_CENTS)
    errors.add(:cart_items,
               "the order total #{CartPricing.text(total)} exceeds the limit of #{limit}")
  end
end
