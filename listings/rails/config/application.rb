# frozen_string_literal: true

require_relative 'boot'
require 'rails'
require 'active_record/railtie'
require 'active_job/railtie'
require 'action_controller/railtie'

Bundler.require(*Rails.groups)

module RailsQuickstart
  class Application < Rails::Application
    config.load_defaults 8.0
    config.api_only = true
    # ActiveJob's in-process thread pool: enough for the background-job pattern in a
    # quickstart; use Solid Queue or Sidekiq when jobs must survive a restart.
    config.active_job.queue_adapter = :async
    config.x.orchestration_url = ENV.fetch('ORCHESTRATION_URL', 'http://127.0.0.1:8080')
  end
end
