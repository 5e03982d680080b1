# frozen_string_literal: true

# A payment's charge, made once: the payment's id is the key, so a payment asked for again
# (a retried step, a second task for it) finds its charge instead of making another.
class Charge < ApplicationRecord
  self.primary_key = :payment_id

  # Charges the payment unless it was charged before; either way, its charge.
  def self.charge_once!(payment_id:, amount_cents:, task_uuid:, attempt:)
    insert({ payment_id:, amount_cents:, task_uuid:, attempt: }, unique_by: :payment_id)
    find(payment_id)
  end
end
