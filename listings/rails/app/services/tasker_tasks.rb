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
           context: order.task_context, reason: "order #{order.id}",
           identified_by: :order_id)
  end
  # ANCHOR_END: create_task

  def create_analytics(context)
    create(namespace: 'analytics_rb', name: 'analytics_pipeline', context:,
           reason: "analytics job #{context[:job_id]}", identified_by: :job_id)
  end

  # How many times a request Tasker answers with 5xx is sent, and the pause before the
  # second attempt (the third waits twice as long).
  ATTEMPTS = 3
  RETRY_PAUSE = 0.2

  # POST /v1/tasks, safe to repeat; the task as Tasker answers it (a Hash with its
  # task_uuid). Tasker 0.1.8 can answer 5xx for a task it did create, so a 5xx is
  # answered by sending the same request again. Tasker identifies a task by its template
  # and context, so a 409 means a task of this very request exists: it is looked up by
  # the context field `identified_by` and returned as the one created.
  def create(namespace:, name:, context:, reason:, identified_by:)
    body = { namespace:, name:, version: '1.0.0', context:, reason:,
             initiator: 'rails-quickstart', source_system: 'rails-quickstart' }
    key = context.fetch(identified_by).to_s
    1.step do |attempt|
      response = post('/v1/tasks', body)
      # Tasker 0.1.8 answers 200 where its OpenAPI document says 201: take any 2xx.
      return JSON.parse(response.body) if response.is_a?(Net::HTTPSuccess)
      return existing(namespace, name, identified_by, key) if response.code == '409'

      retry_later = response.is_a?(Net::HTTPServerError) && attempt < ATTEMPTS
      refused(response, attempt) unless retry_later
      sleep(RETRY_PAUSE * attempt)
    end
  rescue *NETWORK_ERRORS, JSON::ParserError => e
    raise Unavailable, "Tasker did not take the task: #{e.message}"
  end

  def existing(namespace, name, field, key)
    find(namespace:, name:, field:, key:) or
      raise Unavailable, "Tasker has this task (409), and it was not found: #{key}"
  end

  def refused(response, attempt)
    tries = response.is_a?(Net::HTTPServerError) ? " (after #{attempt} attempts)" : ''
    raise Unavailable, "Tasker did not take the task: HTTP #{response.code} " \
                       "#{response.body.to_s[0, 300]}#{tries}"
  end

  # The newest task of the template whose context field `field` is `key`; the list is
  # newest first, and the task sought was asked for moments ago.
  def find(namespace:, name:, field:, key:)
    response = get("/v1/tasks?namespace=#{namespace}&per_page=100")
    listed = JSON.parse(response.body).fetch('tasks').find do |task|
      task['name'] == name && task.dig('context', field.to_s) == key
    end
    listed && JSON.parse(get("/v1/tasks/#{listed['task_uuid']}").body)
  end

  def get(path)
    uri = URI(Rails.configuration.x.orchestration_url)
    Net::HTTP.start(uri.host, uri.port, open_timeout: 2, read_timeout: 10) do |http|
      http.get(path)
    end
  end

  def post(path, body)
    uri = URI(Rails.configuration.x.orchestration_url)
    Net::HTTP.start(uri.host, uri.port, open_timeout: 2, read_timeout: 10) do |http|
      http.post(path, body.to_json, 'content-type' => 'application/json')
    end
  end
end
