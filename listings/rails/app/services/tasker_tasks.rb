# frozen_string_literal: true

# Creating tasks through tasker-rb's REST client. Whatever goes wrong on the way (Tasker
# down, a rejected request) becomes one error the controllers and jobs handle.
module TaskerTasks
  class Unavailable < StandardError; end

  module_function

  # ANCHOR: create_task
  def create_for(order)
    TaskerCore::Client.create_task(
      name: 'ecommerce_order_processing',
      namespace: 'ecommerce_rb',
      context: order.task_context
    )
  rescue StandardError => e
    raise Unavailable, "Tasker did not take the task: #{e.message}"
  end
  # ANCHOR_END: create_task

  def create_analytics(context)
    TaskerCore::Client.create_task(
      name: 'analytics_pipeline',
      namespace: 'analytics_rb',
      context:
    )
  rescue StandardError => e
    raise Unavailable, "Tasker did not take the task: #{e.message}"
  end
end
