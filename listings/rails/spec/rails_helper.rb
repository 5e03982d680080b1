# frozen_string_literal: true

ENV['RAILS_ENV'] ||= 'test'
require_relative '../config/environment'
require 'rspec/rails'
require_relative 'support/task_polling'

RSpec.configure do |config|
  config.include TaskPolling, type: :request
  config.include ActiveJob::TestHelper, type: :request # perform_enqueued_jobs
  config.use_transactional_fixtures = false # the worker commits in its own connections
end
