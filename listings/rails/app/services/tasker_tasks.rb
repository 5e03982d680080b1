# frozen_string_literal: true

require 'json'
require 'net/http'

# Creates tasks through Tasker's REST API. tasker-rb's TaskerCore::Client sends the same
# request, but only through a worker running in the same process ("Worker system not
# running" otherwise); over HTTP, a web process that runs no worker (APP_WORKER=off) still
# creates tasks. Whatever goes wrong on the way (Tasker down, a rejected request) becomes
# one error the controllers and jobs handle.
module TaskerTasks
  class Unavailable < StandardError; end

  NETWORK_ERRORS = [SystemCallError, IOError, SocketError, Timeout::Error].freeze

  module_function

  # ANCHOR: create_task
  def create_for(order)
    create(namespace: 'ecommerce_rb', name: 'ecommerce_order_processing',
           context: order.task_context, reason: "order #{order.id}")
  end
  # ANCHOR_END: create_task

  def create_analytics(context)
    create(namespace: 'analytics_rb', name: 'analytics_pipeline', context:,
           reason: "analytics job #{context[:job_id]}")
  end

  # POST /v1/tasks; the task as Tasker answers it (a Hash with its task_uuid).
  def create(namespace:, name:, context:, reason:)
    body = { namespace:, name:, version: '1.0.0', context:, reason:,
             initiator: 'rails-quickstart', source_system: 'rails-quickstart' }
    response = post('/v1/tasks', body)
    # Tasker 0.1.8 answers 200 where its OpenAPI document says 201: take any 2xx.
    return JSON.parse(response.body) if response.is_a?(Net::HTTPSuccess)

    raise Unavailable, "Tasker did not take the task: HTTP #{response.code} " \
                       "#{response.body.to_s[0, 300]}"
  rescue *NETWORK_ERRORS, JSON::ParserError => e
    raise Unavailable, "Tasker did not take the task: #{e.message}"
  end

  def post(path, body)
    uri = URI(Rails.configuration.x.orchestration_url)
    Net::HTTP.start(uri.host, uri.port, open_timeout: 2, read_timeout: 10) do |http|
      http.post(path, body.to_json, 'content-type' => 'application/json')
    end
  end
end
