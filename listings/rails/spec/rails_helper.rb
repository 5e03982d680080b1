# frozen_string_literal: true

ENV['RAILS_ENV'] ||= 'test'
# tasker-rb takes RAILS_ENV=test for its own test suite and would look for its example
# handlers and templates; this app brings its own.
ENV['TASKER_SKIP_EXAMPLE_HANDLERS'] ||= 'true'
ENV['TASKER_TEMPLATE_PATH'] ||= File.expand_path('../templates', __dir__)
require_relative '../config/environment'
require 'rspec/rails'
Dir[File.join(__dir__, 'support/*.rb')].each { |file| require file }

RSpec.configure do |config|
  config.include TaskPolling, type: :request
  config.include UnreachableTasker, type: :request
  config.include ActiveJob::TestHelper, type: :request # perform_enqueued_jobs
  config.use_transactional_fixtures = false # the worker commits in its own connections
  config.fail_if_no_examples = true # a filter that leaves nothing to run is a mistake

  # Groups tagged :worker run their tasks to completion, so the first of them starts the
  # Tasker worker in this process, as the app's initializer does when it serves; it
  # stops once the run is over.
  config.before(:context, :worker) { TaskerWorker.start unless TaskerWorker.running? }
  config.after(:suite) do
    TaskerWorker.stop if defined?(TaskerCore) && TaskerWorker.running?
  end
end
