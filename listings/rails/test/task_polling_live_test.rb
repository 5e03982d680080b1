# frozen_string_literal: true

# The polling helper against the live stack. The tasks in namespace ecommerce_rs are run
# by the Axum quickstart's Rust worker (listings/axum, which must be running: the Rails
# chapter starts it), the only worker for that namespace here; tasks in ecommerce_rb have
# no worker on this machine (tasker-rb cannot be installed), which is what the timeout
# test needs.
require 'minitest/autorun'
require 'securerandom'
require_relative '../spec/support/task_polling'

class TaskPollingLiveTest < Minitest::Test
  URL = ENV.fetch('ORCHESTRATION_URL', 'http://127.0.0.1:8080')
  CART = [{ 'sku' => 'WIDGET-1', 'name' => 'Widget', 'quantity' => 2,
            'unit_price_cents' => 24_99 }].freeze

  AXUM_APP = ENV.fetch('AXUM_APP_URL', 'http://127.0.0.1:3001')

  def setup
    Net::HTTP.get_response(URI("#{AXUM_APP}/health"))
  rescue SystemCallError => e
    flunk "the Axum app, whose worker runs ecommerce_rs, is not running at #{AXUM_APP} " \
          "(#{e.message})"
  end

  def create_task(namespace, cart_items)
    context = { order_id: SecureRandom.uuid, customer_email: 'ruby@example.com',
                cart_items: }
    body = { name: 'ecommerce_order_processing', namespace:, version: '1.0.0', context:,
             initiator: 'rails-quickstart-test', source_system: 'minitest',
             reason: 'polling helper test' }
    response = Net::HTTP.post(URI("#{URL}/v1/tasks"), body.to_json,
                              'content-type' => 'application/json')
    assert_includes %w[200 201], response.code, response.body
    JSON.parse(response.body).fetch('task_uuid')
  rescue SystemCallError => e
    flunk "Tasker is not reachable at #{URL} (#{e.message}): " \
          'start it with scripts/stack up'
  end

  def test_returns_the_task_once_the_axum_worker_completes_it
    task = TaskPolling.wait_for_task_completion(create_task('ecommerce_rs', CART),
                                                base_url: URL, max_wait: 30)
    assert_equal 'complete', task['status']
    assert_equal 5, task['completed_steps']
  end

  def test_stops_early_with_the_failing_steps_error
    error = assert_raises(TaskPolling::WaitError) do
      TaskPolling.wait_for_task_completion(create_task('ecommerce_rs', []),
                                           base_url: URL, max_wait: 30)
    end
    assert_equal 'blocked_by_failures', error.status
    assert_includes error.message, 'the cart has no items'
  end

  def test_times_out_naming_the_steps_still_waiting
    error = assert_raises(TaskPolling::WaitError) do
      TaskPolling.wait_for_task_completion(create_task('ecommerce_rb', CART),
                                           base_url: URL, max_wait: 0.3)
    end
    assert_match(/not complete after 0.3 s: .*unfinished: .*validate_cart \(enqueued\)/,
                 error.message)
  end
end
