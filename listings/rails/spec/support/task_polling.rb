# frozen_string_literal: true

require 'json'
require 'net/http'

# Waits for a Tasker task through the REST API, with the standard library only, so specs
# (and anything else) can use it without tasker-rb.
# ANCHOR: task_polling
module TaskPolling
  # Task states after which waiting longer cannot lead to `complete`.
  STOPPED = %w[error cancelled resolved_manually blocked_by_failures].freeze

  class WaitError < StandardError
    attr_reader :status, :detail

    def initialize(message, status:, detail:)
      super(message)
      @status = status
      @detail = detail
    end
  end

  module_function

  # Polls until the task is `complete` (returns it), has stopped for good, or `timeout`
  # seconds pass (raises WaitError naming the failed or unfinished steps). Starts at 10 ms
  # between polls and backs off to 50 ms, over one keep-alive connection.
  def wait_for_task(task_uuid, base_url: orchestration_url, timeout: 30)
    deadline = now + timeout
    interval = 0.01
    uri = URI(base_url)
    Net::HTTP.start(uri.host, uri.port, open_timeout: 2, read_timeout: 10) do |http|
      loop do
        task = get_json(http, "/v1/tasks/#{task_uuid}")
        return task if task['status'] == 'complete'
        raise stopped(http, task) if STOPPED.include?(task['status'])

        raise timed_out(http, task, timeout) if now >= deadline

        sleep interval
        interval = [interval * 2, 0.05].min
      end
    end
  end

  # Each step's result by step name (GET …/workflow_steps: the task view has no results).
  def step_results(task_uuid, base_url: orchestration_url)
    uri = URI(base_url)
    Net::HTTP.start(uri.host, uri.port, open_timeout: 2, read_timeout: 10) do |http|
      get_json(http, "/v1/tasks/#{task_uuid}/workflow_steps")
        .to_h { |s| [s['name'], s.dig('results', 'result')] }
    end
  end

  def orchestration_url = ENV.fetch('ORCHESTRATION_URL', 'http://127.0.0.1:8080')

  def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

  # The task's steps by name: the API lists them in no fixed order.
  def steps(http, task)
    get_json(http, "/v1/tasks/#{task['task_uuid']}/workflow_steps").sort_by do |s|
      s['name']
    end
  end

  def get_json(http, path)
    response = http.get(path, 'accept' => 'application/json')
    unless response.is_a?(Net::HTTPOK)
      raise WaitError.new("GET #{path}: HTTP #{response.code}", status: 'unknown',
                                                                detail: response.body)
    end

    JSON.parse(response.body)
  end

  def stopped(http, task)
    failed = steps(http, task).select do |s|
      %w[error failed].include?(s['current_state'])
    end
    detail = failed.map do |s|
      "#{s['name']} (#{s['current_state']}): #{s.dig('results', 'error').to_json}"
    end
    detail = detail.empty? ? 'none' : detail.join(', ')
    message = "task #{task['task_uuid']} ended as #{task['status']}; " \
              "failed steps: #{detail}"
    WaitError.new(message, status: task['status'], detail:)
  end

  def timed_out(http, task, timeout)
    unfinished = steps(http, task).reject { |s| s['current_state'] == 'complete' }
    detail = unfinished.map { |s| "#{s['name']} (#{s['current_state']})" }.join(', ')
    message = "task #{task['task_uuid']} not complete after #{timeout} s: " \
              "last status #{task['status']}, unfinished: #{detail}"
    WaitError.new(message, status: task['status'], detail:)
  end
end
# ANCHOR_END: task_polling
