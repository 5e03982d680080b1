# frozen_string_literal: true

# Starts the Tasker worker inside the Rails process (the Rust worker in the tasker-rb
# gem). It reads the worker configuration from TASKER_CONFIG_PATH, registers the templates
# under TASKER_TEMPLATE_PATH and runs each step's handler by the template's
# `handler.callable`, which names a class under app/handlers.
# ANCHOR: initializer
require 'tasker_core'

Rails.application.config.after_initialize do
  next if ENV['APP_WORKER'] == 'off' || Rails.env.test?

  # Zeitwerk loads app/handlers lazily; the worker looks handlers up by constant name.
  Rails.autoloaders.main.eager_load_dir(Rails.root.join('app/handlers'))
  TaskerCore::Worker::Bootstrap.start!
end
# ANCHOR_END: initializer
