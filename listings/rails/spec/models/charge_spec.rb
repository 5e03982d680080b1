# frozen_string_literal: true

require 'rails_helper'

# The ledger behind Payments::ChargeCardHandler (whose worker cannot run here): a payment
# is charged once, whichever task asks for it and however often.
RSpec.describe Charge do
  let(:payment_id) { SecureRandom.uuid }
  let(:first_task) { SecureRandom.uuid }

  it 'charges a payment the first time it is asked' do
    charge = described_class.charge_once!(payment_id:, amount_cents: 2499,
                                          task_uuid: first_task, attempt: 3)
    expect([charge.amount_cents, charge.task_uuid, charge.attempt])
      .to eq([2499, first_task, 3])
  end

  it 'answers a payment asked for again with its first charge' do
    described_class.charge_once!(payment_id:, amount_cents: 2499,
                                 task_uuid: first_task, attempt: 1)
    again = described_class.charge_once!(payment_id:, amount_cents: 2499,
                                         task_uuid: SecureRandom.uuid, attempt: 1)
    expect(again.task_uuid).to eq(first_task)
    expect(described_class.where(payment_id:).count).to eq(1)
  end
end
