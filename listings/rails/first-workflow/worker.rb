# frozen_string_literal: true

# Runs this project's step handlers in a Tasker worker until Ctrl-C or SIGTERM.
require 'tasker_core'
require_relative 'handlers'

$stdout.sync = true
# The worker registers the templates under TASKER_TEMPLATE_PATH and finds each callable
# among the classes loaded before it starts. It traps INT and TERM itself, and shuts
# down on either; this script then ends.
worker = TaskerCore::Worker::Bootstrap.start!
stopped = Queue.new
worker.on_shutdown { stopped << true }
puts 'worker running: Ctrl-C stops it'
stopped.pop
