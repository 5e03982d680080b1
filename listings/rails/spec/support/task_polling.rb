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

  # Polls until the task is `complete` (returns it), has stopped for good, or `max_wait`
  # seconds pass (raises WaitError naming the failed or unfinished steps). Polls every
  # `poll_interval` seconds, the first polls sooner (10, 20, 40 ms …), over one keep-alive
  # connection.
  def wait_for_task_completion(task_uuid, max_wait: 30, poll_interval: 0.05,
                               base_url: orchestration_url)
    deadline = now + max_wait
    interval = [0.01, poll_interval].min
    connect(base_url) do |http|
      loop do
        task = get_json(http, "/v1/tasks/#{task_uuid}")
        return task if task['status'] == 'complete'
        raise stopped(http, task) if STOPPED.include?(task['status'])

        raise timed_out(http, task, max_wait) if now >= deadline

        sleep interval
        interval = [interval * 2, poll_interval].min
      end
    end
  end

  # The task as Tasker reports it now.
  def get_task(task_uuid, base_url: orchestration_url)
    connect(base_url) { |http| get_json(http, "/v1/tasks/#{task_uuid}") }
  end

  # The task's steps, each with its result (the task view has no results).
  def get_task_steps(task_uuid, base_url: orchestration_url)
    connect(base_url) { |http| get_json(http, "/v1/tasks/#{task_uuid}/workflow_steps") }
  end

  # One step, with its result.
  def get_step(task_uuid, step_uuid, base_url: orchestration_url)
    connect(base_url) do |http|
      get_json(http, "/v1/tasks/#{task_uuid}/workflow_steps/#{step_uuid}")
    end
  end

  # Each step's result by step name.
  def step_results(task_uuid, base_url: orchestration_url)
    get_task_steps(task_uuid, base_url:).to_h do |s|
      [s['name'], s.dig('results', 'result')]
    end
  end

  def connect(base_url, &)
    uri = URI(base_url)
    Net::HTTP.start(uri.host, uri.port, open_timeout: 2, read_timeout: 10, &)
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
      "#{s['name']} (#{s['current_state']}): #{failure_reason(s)}"
    end
    detail = detail.empty? ? 'none' : detail.join(', ')
    message = "task #{task['task_uuid']} ended as #{task['status']}; " \
              "failed steps: #{detail}"
    WaitError.new(message, status: task['status'], detail:)
  end

  # What a failed step says went wrong: the error's message or, where the worker sent
  # none (tasker-rb 0.1.10 does not), the code or class its metadata keeps.
  def failure_reason(step)
    results = step['results'] || {}
    results.dig('error', 'message') || results.dig('metadata', 'custom', 'error_code') ||
      results.dig('metadata', 'custom', 'error_class') || 'no reason recorded'
  end

  def timed_out(http, task, max_wait)
    unfinished = steps(http, task).reject { |s| s['current_state'] == 'complete' }
    detail = unfinished.map { |s| "#{s['name']} (#{s['current_state']})" }.join(', ')
    message = "task #{task['task_uuid']} not complete after #{max_wait} s: " \
              "last status #{task['status']}, unfinished: #{detail}"
    WaitError.new(message, status: task['status'], detail:)
  end
end
# ANCHOR_END: task_polling
