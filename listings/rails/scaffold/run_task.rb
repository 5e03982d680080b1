# frozen_string_literal: true

# Runs the step handlers under app/handlers in tasker-rb's worker, creates one task of a
# template under templates/, waits for it, and prints each step's result.
#   ruby run_task.rb NAMESPACE NAME CONTEXT_JSON
# The worker reads TASKER_TEMPLATE_PATH, TASKER_CONFIG_PATH and DATABASE_URL from the
# environment, and creates the task through the server its configuration names; the
# polling helper is the Rails app's, and reads ORCHESTRATION_URL.
require 'json'
require 'securerandom'
require 'tasker_core'
require_relative '../spec/support/task_polling'

namespace, name, context_json = ARGV
abort 'usage: ruby run_task.rb NAMESPACE NAME CONTEXT_JSON' unless context_json
# Tasker answers 409 to a second task with the same context: each run is new.
context = JSON.parse(context_json).merge('run_id' => SecureRandom.uuid)

# The worker finds each callable among the classes loaded before it starts.
Dir[File.join(__dir__, 'app/handlers/**/*.rb')].each { |file| require file }
TaskerCore::Worker::Bootstrap.start!
begin
  task = TaskerCore::Client.create_task(name:, namespace:, context:,
                                        reason: 'scaffold check', initiator: 'run_task')
  TaskPolling.wait_for_task_completion(task.task_uuid)
  TaskPolling.step_results(task.task_uuid).sort.each do |step, result|
    puts "#{step}: #{result.to_json}"
  end
rescue TaskPolling::WaitError => e
  warn e.message
  exit_status = 1
ensure
  TaskerCore::Worker::Bootstrap.instance.shutdown!
end
exit(exit_status || 0)
