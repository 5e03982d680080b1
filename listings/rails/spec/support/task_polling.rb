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
  def wait_for_task(task_uuid, base_url: ENV.fetch('ORCHESTRATION_URL', 'http://127.0.0.1:8080'), timeout: 30)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
    interval = 0.01
    uri = URI(base_url)
    Net::HTTP.start(uri.host, uri.port, open_timeout: 2, read_timeout: 10) do |http|
      loop do
        task = get_json(http, "/v1/tasks/#{task_uuid}")
        return task if task['status'] == 'complete'
        raise stopped(http, task) if STOPPED.include?(task['status'])
        raise timed_out(http, task, timeout) if Process.clock_gettime(Process::CLOCK_MONOTONIC) >= deadline

        sleep interval
        interval = [interval * 2, 0.05].min
      end
    end
  end

  # The task's steps by name: the API lists them in no fixed order.
  def steps(http, task)
    get_json(http, "/v1/tasks/#{task['task_uuid']}/workflow_steps").sort_by { |s| s['name'] }
  end

  def get_json(http, path)
    response = http.get(path, 'accept' => 'application/json')
    raise WaitError.new("GET #{path}: HTTP #{response.code}", status: 'unknown', detail: response.body) \
      unless response.is_a?(Net::HTTPOK)

    JSON.parse(response.body)
  end

  def stopped(http, task)
    failed = steps(http, task).select { |s| %w[error failed].include?(s['current_state']) }
    detail = failed.map { |s| "#{s['name']} (#{s['current_state']}): #{s.dig('results', 'error').to_json}" }
    detail = detail.empty? ? 'none' : detail.join(', ')
    WaitError.new("task #{task['task_uuid']} ended as #{task['status']}; failed steps: #{detail}",
                  status: task['status'], detail:)
  end

  def timed_out(http, task, timeout)
    unfinished = steps(http, task).reject { |s| s['current_state'] == 'complete' }
    detail = unfinished.map { |s| "#{s['name']} (#{s['current_state']})" }.join(', ')
    WaitError.new("task #{task['task_uuid']} not complete after #{timeout} s: last status #{task['status']}, " \
                  "unfinished: #{detail}", status: task['status'], detail:)
  end
end
# ANCHOR_END: task_polling
