# frozen_string_literal: true

# The Tasker worker inside this process: tasker-rb's Rust worker, which reads its
# configuration from TASKER_CONFIG_PATH, registers the templates under
# TASKER_TEMPLATE_PATH and runs each step by the template's `handler.callable`, a class
# under app/handlers.
module TaskerWorker
  module_function

  def start
    # Zeitwerk loads app/handlers lazily; the worker looks handlers up by constant name.
    Rails.autoloaders.main.eager_load_dir(Rails.root.join('app/handlers'))
    TaskerCore::Worker::Bootstrap.start!
  end

  def stop
    TaskerCore::Worker::Bootstrap.instance.shutdown!
  end
end
