# frozen_string_literal: true

# Runs the Tasker worker in the Rails process once Rails has booted, unless
# APP_WORKER=off: a web process that only creates tasks needs no worker (TaskerTasks
# creates them over HTTP), and the worker can then run in processes of its own. Specs
# start it themselves, only for the examples that need it (spec/rails_helper.rb).
# ANCHOR: initializer
Rails.application.config.after_initialize do
  TaskerWorker.start unless ENV['APP_WORKER'] == 'off' || Rails.env.test?
end
# ANCHOR_END: initializer
