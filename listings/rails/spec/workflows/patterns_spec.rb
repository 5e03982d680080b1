# frozen_string_literal: true

require 'rails_helper'

# The Patterns part of the book in this app's namespace, patterns_rb, run by the app's own
# worker (spec/rails_helper.rb): a decision point, a payment charged once whatever the
# retries, and a batch import.
RSpec.describe 'Pattern workflows', :worker, type: :request do
  # Creates the task and waits until it stops: its uuid, its status and its steps by name.
  def run_task(name, context, identified_by)
    task = TaskerTasks.create(namespace: 'patterns_rb', name:, context:,
                              reason: 'a pattern', identified_by:)
    status = begin
      wait_for_task_completion(task['task_uuid'], max_wait: 60)['status']
    rescue TaskPolling::WaitError => e
      e.status
    end
    steps = get_task_steps(task['task_uuid']).to_h { |s| [s['name'], s] }
    [task['task_uuid'], status, steps]
  end

  def result(step) = step.dig('results', 'result')

  describe 'a decision point' do
    branches = { 2_499 => %w[auto_approve rules], 99_999 => %w[auto_approve rules],
                 100_000 => ['manual_review', 'review queue'] }
    branches.each do |total_cents, (branch, by)|
      it "creates only #{branch} for an order of #{total_cents} cents" do
        context = { order_id: SecureRandom.uuid, total_cents: }
        _, status, steps = run_task('order_review', context, :order_id)
        expect(status).to eq('complete')
        expect(steps.keys).to match_array(
          ['assess_order', 'route_order', branch, 'confirm_order']
        )
        expect(result(steps['confirm_order'])['approved_by']).to eq(by)
      end
    end
  end

  describe 'a payment' do
    def payment(processor_failures)
      { payment_id: SecureRandom.uuid, amount_cents: 24_99, processor_failures: }
    end

    def charge(payment_id)
      Charge.find_by(payment_id:)&.then { |c| [c.amount_cents, c.task_uuid, c.attempt] }
    end

    # Seconds between a step's attempts, from Tasker's own record of its transitions.
    def attempt_gaps(step_uuid)
      tasker = PG.connect(ENV.fetch('DATABASE_URL'))
      rows = tasker.exec_params(<<~SQL, [step_uuid])
        SELECT created_at FROM tasker.workflow_step_transitions
        WHERE workflow_step_uuid = $1 AND to_state = 'in_progress' ORDER BY created_at
      SQL
      starts = rows.map { |row| Time.parse(row['created_at']) }
      starts.each_cons(2).map { |first, second| second - first }
    ensure
      tasker&.close
    end

    it 'is retried while the processor fails, then charged once, on that attempt' do
      context = payment(2)
      task_uuid, status, steps = run_task('card_payment', context, :payment_id)
      expect(status).to eq('complete')
      expect(steps['charge_card']['attempts']).to eq(3)
      expect(charge(context[:payment_id])).to eq([24_99, task_uuid, 3])
      # tasker-rb sends its failures without orchestration metadata, from which alone
      # Tasker 0.1.8 computes a backoff: the retries follow at once (the Rust worker's
      # wait 2 s, then 4 s).
      gaps = attempt_gaps(steps['charge_card']['step_uuid'])
      expect(gaps.size).to eq(2)
      expect(gaps).to all(be < 1)
    end

    it 'out of attempts, blocks its task and is not charged' do
      context = payment(3)
      _, status, steps = run_task('card_payment', context, :payment_id)
      expect(status).to eq('blocked_by_failures')
      step = steps['charge_card']
      expect(step.values_at('current_state', 'attempts')).to eq(['error', 3])
      # tasker-rb 0.1.10 sends the handler's message under a key Tasker does not read:
      # the step's error is empty, and only the code is kept, in the result's metadata.
      expect(step.dig('results', 'error')).to be_nil
      expect(step.dig('results', 'metadata', 'custom', 'error_code'))
        .to eq('processor_unavailable')
      expect(charge(context[:payment_id])).to be_nil
    end

    it 'asked for again by a second task, is charged once' do
      context = payment(0)
      first_task, status, = run_task('card_payment', context, :payment_id)
      expect(status).to eq('complete')
      again = context.merge(retry_of: first_task)
      _, status, steps = run_task('card_payment', again, :retry_of)
      expect(status).to eq('complete')
      expect(result(steps['charge_card'])['charged_by_task']).to eq(first_task)
      expect(charge(context[:payment_id])).to eq([24_99, first_task, 1])
    end
  end

  it 'imports in one step per batch, every row written once' do
    import_id = SecureRandom.uuid
    context = { import_id:, row_count: 5_000, run: 1 }
    _, status, steps = run_task('stock_import', context, :import_id)
    expect(status).to eq('complete')
    batches = steps.keys.grep(/\Aimport_batch_/).sort
    expect(batches).to eq((1..5).map { |i| "import_batch_00#{i}" })
    expect(result(steps['finish_import']))
      .to eq('rows' => 5_000, 'writes' => 5_000, 'batches' => 5)
    levels = StockLevel.where(import_id:)
    expect([levels.count, levels.sum(:writes)]).to eq([5_000, 5_000])
  end
end
