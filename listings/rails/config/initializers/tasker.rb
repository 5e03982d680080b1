# frozen_string_literal: true

# Runs the Tasker worker in the process that serves the app (`bin/rails server`, or Puma
# through config.ru), unless APP_WORKER=off: a web process that only creates tasks needs
# no worker (TaskerTasks creates them over HTTP), and the worker can then run in processes
# of its own. Rake tasks, the console and the runner start none. Specs start it
# themselves, only for the examples that need it (spec/rails_helper.rb).
# ANCHOR: initializer
Rails.application.server do
  TaskerWorker.start unless ENV['APP_WORKER'] == 'off'
end
# ANCHOR_END: initializer
