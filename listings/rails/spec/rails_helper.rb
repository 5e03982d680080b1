# frozen_string_literal: true

ENV['RAILS_ENV'] ||= 'test'
require_relative '../config/environment'
require 'rspec/rails'
Dir[File.join(__dir__, 'support/*.rb')].each { |file| require file }

RSpec.configure do |config|
  config.include TaskPolling, type: :request
  config.include UnreachableTasker, type: :request
  config.include ActiveJob::TestHelper, type: :request # perform_enqueued_jobs
  config.use_transactional_fixtures = false # the worker commits in its own connections

  # Groups tagged :worker run their tasks to completion, so they start the Tasker worker
  # in this process, as the app's initializer does outside tests, and stop it afterwards.
  config.before(:context, :worker) { TaskerWorker.start }
  config.after(:context, :worker) { TaskerWorker.stop }
end
