# frozen_string_literal: true

# The Tasker worker inside this process: tasker-rb's Rust worker, which reads its
# configuration from TASKER_CONFIG_PATH, registers the templates under
# TASKER_TEMPLATE_PATH and runs each step by the template's `handler.callable`, a class
# under app/handlers.
module TaskerWorker
  module_function

  def start
    # The worker looks each callable up among the classes already loaded, and calls
    # handlers from threads of its own: load the app first, as a production boot does,
    # instead of leaving app/handlers to the autoloader.
    Rails.autoloaders.main.eager_load
    TaskerCore::Worker::Bootstrap.start!
  end

  def running?
    TaskerCore::Worker::Bootstrap.instance.running?
  end

  def stop
    TaskerCore::Worker::Bootstrap.instance.shutdown!
  end
end
