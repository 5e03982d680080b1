# frozen_string_literal: true

# The polling helper against the live stack. Its tasks are run by the Rails app's own
# worker (tasker-rb, namespaces *_rb), which scripts/test starts for these tests; where
# tasker-rb cannot run, by the Axum quickstart's Rust worker (namespaces *_rs) instead:
# TASK_POLLING_WORKER=rails|axum says which, and APP_URL where that app serves.
require 'minitest/autorun'
require 'securerandom'
require_relative '../spec/support/task_polling'

class TaskPollingLiveTest < Minitest::Test
  URL = ENV.fetch('ORCHESTRATION_URL', 'http://127.0.0.1:8080')
  CART = [{ 'sku' => 'WIDGET-1', 'name' => 'Widget', 'quantity' => 2,
            'unit_price_cents' => 24_99 }].freeze
  # The app whose worker runs the tasks: its namespace suffix, and what it records of a
  # step that failed (tasker-rb 0.1.10 sends Tasker no message, only the error's code).
  WORKERS = {
    'rails' => { suffix: 'rb', empty_cart: 'validate_cart (error): empty_cart' },
    'axum' => { suffix: 'rs', empty_cart: 'validate_cart (error): the cart has no items' }
  }.freeze
  WORKER = WORKERS.fetch(ENV.fetch('TASK_POLLING_WORKER', 'rails'))
  APP = ENV.fetch('APP_URL', 'http://127.0.0.1:3003')

  def setup
    Net::HTTP.get_response(URI("#{APP}/health"))
  rescue SystemCallError => e
    flunk "the app whose worker runs the *_#{WORKER[:suffix]} namespaces is not " \
          "running at #{APP} (#{e.message})"
  end

  def create_task(name, context)
    body = { name:, namespace: "#{name.split('_').first}_#{WORKER[:suffix]}",
             version: '1.0.0', context:, initiator: 'rails-quickstart-test',
             source_system: 'minitest', reason: 'polling helper test' }
    response = Net::HTTP.post(URI("#{URL}/v1/tasks"), body.to_json,
                              'content-type' => 'application/json')
    assert_includes %w[200 201], response.code, response.body
    JSON.parse(response.body).fetch('task_uuid')
  rescue SystemCallError => e
    flunk "Tasker is not reachable at #{URL} (#{e.message}): " \
          'start it with scripts/stack up'
  end

  def order(cart_items)
    create_task('ecommerce_order_processing',
                { order_id: SecureRandom.uuid, customer_email: 'ruby@example.com',
                  cart_items: })
  end

  def test_returns_the_task_once_the_worker_completes_it
    task = TaskPolling.wait_for_task_completion(order(CART), base_url: URL, max_wait: 30)
    assert_equal 'complete', task['status']
    assert_equal 5, task['completed_steps']
  end

  def test_stops_early_naming_the_failed_step
    error = assert_raises(TaskPolling::WaitError) do
      TaskPolling.wait_for_task_completion(order([]), base_url: URL, max_wait: 30)
    end
    assert_equal 'blocked_by_failures', error.status
    assert_equal WORKER[:empty_cart], error.detail
  end

  # An extract sleeps 0.3 s: after 0.1 s, none of the pipeline's steps can be complete.
  def test_times_out_naming_the_steps_still_waiting
    context = { job_id: SecureRandom.uuid, source: 'minitest', date_from: '2026-11-01',
                date_to: '2026-11-02' }
    task_uuid = create_task('analytics_pipeline', context)
    error = assert_raises(TaskPolling::WaitError) do
      TaskPolling.wait_for_task_completion(task_uuid, base_url: URL, max_wait: 0.1)
    end
    assert_match(/not complete after 0.1 s: .*unfinished: .*extract_sales_data \(\w+\)/,
                 error.message)
    # The worker still finishes it: nothing is left in the namespace's queue.
    TaskPolling.wait_for_task_completion(task_uuid, base_url: URL, max_wait: 30)
  end
end
