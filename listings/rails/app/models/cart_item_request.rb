# frozen_string_literal: true

# One line of an order request's cart. The name is optional and defaults to the SKU.
class CartItemRequest
  include ActiveModel::Validations

  # ANCHOR: validations
  attr_reader :sku, :name, :quantity, :unit_price

  validates :sku, text: { within: 1..OrderRequest::MAX_SKU_CHARS }
  validates :name, text: { within: 0..OrderRequest::MAX_NAME_CHARS }, allow_nil: true
  validates :quantity, whole_number: { within: 1..OrderRequest::MAX_QUANTITY }
  validates :unit_price, amount: { within: 1..OrderRequest::MAX_UNIT_PRICE_CENTS }
  # ANCHOR_END: validations

  # `item`: one element of the permitted `cart_items`.
  def initialize(item)
    @sku = TextValidator.trimmed(item[:sku])
    @name = TextValidator.trimmed(item[:name])
    @quantity = item[:quantity]
    @unit_price = item[:unit_price]
  end

  def unit_price_cents = AmountValidator.cents(unit_price)

  # The line as the task context carries it: money in whole cents, never a Float.
  def to_context
    { 'sku' => sku, 'name' => name || sku, 'quantity' => quantity,
      'unit_price_cents' => unit_price_cents }
  end
end
