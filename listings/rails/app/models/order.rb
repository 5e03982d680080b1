# frozen_string_literal: true

# The app's record of an order. Tasker keeps the workflow state; the order keeps what the
# business cares about plus the task_uuid linking the two.
#   status: submitted (task created) | queued (background job pending)
#           | failed (see failure_reason)
class Order < ApplicationRecord
  STATUSES = %w[submitted queued failed].freeze
  validates :customer_email, :items, :total, presence: true
  validates :status, inclusion: { in: STATUSES }

  def task_context
    { order_id: id, customer_email:, cart_items: items }
  end

  def as_json(*)
    { id:, customer_email:, items:, total: CartPricing.text(total_cents), status:,
      task_uuid:, failure_reason: }
  end

  # The total is a decimal(12,2) column, a BigDecimal here: exact, like the cents.
  def total_cents = (total * 100).to_i
end
