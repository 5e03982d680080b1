# frozen_string_literal: true

# The order the request and workflow specs send: two lines, 77.47 with tax and shipping.
RSpec.shared_context 'with the example cart' do
  let(:cart) do
    { customer_email: 'ada@example.com',
      cart_items: [{ sku: 'WIDGET-1', name: 'Widget', quantity: 2, unit_price: '24.99' },
                   { sku: 'GADGET-7', name: 'Gadget', quantity: 1,
                     unit_price: '12.50' }] }
  end
end
