# frozen_string_literal: true

require 'minitest/autorun'
require_relative '../app/models/order_request'
require_relative '../app/models/cart_pricing'

class OrderRequestTest < Minitest::Test
  ITEM = { 'sku' => 'W-1', 'quantity' => 1, 'unit_price' => 5 }.freeze

  def fields(body)
    OrderRequest.new(body).errors
  end

  def test_a_good_order_is_valid_and_priced_to_the_cent
    input = OrderRequest.new('customer_email' => ' ada@example.com ',
                             'cart_items' => [{ 'sku' => 'WIDGET-1', 'quantity' => 2, 'unit_price' => 24.99 },
                                              { 'sku' => 'GADGET-7', 'quantity' => 1, 'unit_price' => 12.5 }])
    assert_predicate input, :valid?
    assert_equal 'ada@example.com', input.email
    priced = CartPricing.price(input.items)
    shown = priced.values_at(:subtotal, :tax, :shipping, :total).map { |d| d.to_s('F') }
    assert_equal %w[62.48 5.0 9.99 77.47], shown
  end

  def test_every_bad_field_is_named_at_once
    body = { 'customer_email' => 'ada', 'cart_items' => [{ 'sku' => ' ', 'quantity' => 1.5, 'unit_price' => '5' }] }
    assert_equal({ 'customer_email' => 'is not a valid email address',
                   'cart_items[0].sku' => 'is required',
                   'cart_items[0].quantity' => 'must be a whole number from 1 to 10000',
                   'cart_items[0].unit_price' => 'must be a number greater than 0' }, fields(body))
  end

  def test_missing_and_empty_carts_and_non_objects
    assert_equal 'is required', fields('cart_items' => [ITEM])['customer_email']
    assert_equal 'must contain at least one item',
                 fields('customer_email' => 'x@example.com', 'cart_items' => [])['cart_items']
    assert_equal 'is required and must be a list', fields('customer_email' => 'x@example.com')['cart_items']
    assert_equal({ 'body' => 'must be a JSON object' }, fields([]))
  end

  def test_free_shipping_from_one_hundred
    assert_equal BigDecimal('0'), CartPricing.price([{ 'quantity' => 4, 'unit_price' => 25 }])[:shipping]
  end
end
