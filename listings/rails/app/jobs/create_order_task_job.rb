# frozen_string_literal: true

# The background half of POST /orders/async: create the order's task and record the
# outcome on the order, `submitted` with the task_uuid or `failed` with the reason.
# ANCHOR: job
class CreateOrderTaskJob < ApplicationJob
  queue_as :default

  def perform(order_id)
    order = Order.find(order_id)
    task = TaskerTasks.create_for(order)
    order.update!(status: 'submitted', task_uuid: task['task_uuid'])
  rescue TaskerTasks::Unavailable => e
    order.update!(status: 'failed', failure_reason: e.message)
  end
end
# ANCHOR_END: job
