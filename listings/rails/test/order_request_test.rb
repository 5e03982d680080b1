# frozen_string_literal: true

require 'minitest/autorun'
require_relative '../app/models/order_request'
require_relative '../app/models/cart_pricing'

class OrderRequestTest < Minitest::Test
  ITEM = { 'sku' => 'W-1', 'quantity' => 1, 'unit_price' => 5 }.freeze
  EMAIL = 'x@example.com'

  def fields(body)
    OrderRequest.new(body).errors
  end

  def test_a_good_order_is_valid_and_priced_to_the_cent
    items = [{ 'sku' => 'WIDGET-1', 'quantity' => 2, 'unit_price' => 24.99 },
             { 'sku' => 'GADGET-7', 'quantity' => 1, 'unit_price' => 12.5 }]
    input = OrderRequest.new('customer_email' => ' ada@example.com ',
                             'cart_items' => items)
    assert_predicate input, :valid?
    assert_equal 'ada@example.com', input.email
    totals = input.totals.values_at(:subtotal, :tax, :shipping, :total)
    assert_equal [62_48, 5_00, 9_99, 77_47], totals
    assert_equal 'GADGET-7', input.items.last.name, 'the name defaults to the SKU'
  end

  def test_every_bad_field_is_named_at_once
    item = { 'sku' => ' ', 'quantity' => 1.5, 'unit_price' => '5' }
    expected = {
      'customer_email' => 'is not a valid email address',
      'cart_items[0].sku' =>
        'must be 1 to 64 characters, none of them control characters',
      'cart_items[0].quantity' => 'must be a whole number from 1 to 10000',
      'cart_items[0].unit_price' =>
        'must be an amount from 0.01 to 100000.00, in whole cents'
    }
    assert_equal expected, fields('customer_email' => 'ada', 'cart_items' => [item])
  end

  def test_money_at_the_extremes_is_refused
    [1e308, 1e-9, 0, -1, 24.999, 0.1 + 0.2, 100_000.01, Float::NAN, '24.99',
     nil].each do |p|
      item = ITEM.merge('unit_price' => p)
      errors = fields('customer_email' => EMAIL, 'cart_items' => [item])
      assert errors.key?('cart_items[0].unit_price'), "#{p.inspect}: #{errors}"
    end
  end

  def test_the_order_total_is_bounded
    big = { 'sku' => 'A', 'quantity' => 10_000, 'unit_price' => 100_000 }
    errors = fields('customer_email' => EMAIL, 'cart_items' => [big])
    assert_match(/exceeds the limit of 1000000.00/, errors['cart_items'])
  end

  def test_missing_and_empty_carts_and_non_objects
    assert_equal 'is required', fields('cart_items' => [ITEM])['customer_email']
    assert_equal 'must contain at least one item',
                 fields('customer_email' => EMAIL, 'cart_items' => [])['cart_items']
    assert_equal 'is required and must be a list',
                 fields('customer_email' => EMAIL)['cart_items']
    assert_equal 'may contain at most 100 items',
                 fields('customer_email' => EMAIL,
                        'cart_items' => [ITEM] * 101)['cart_items']
    assert_equal({ 'body' => 'must be a JSON object' }, fields([]))
  end

  def test_free_shipping_from_one_hundred
    assert_equal 0, CartPricing.price([[25_00, 4]])[:shipping]
  end
end
