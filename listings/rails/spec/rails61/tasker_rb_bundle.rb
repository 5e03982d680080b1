# frozen_string_literal: true

# What the app's Gemfile line `gem 'tasker-rb', require: 'tasker_core'` does, on the
# test-only boot: where the suite has the Ruby 3.1 build of tasker-rb, its setup.sh has
# put it on RUBYLIB and set TASKER_RB_HOME (scripts/lib.sh, ensure_tasker_rb_bundle), and
# it is loaded here. Without it, the app runs everything but the worker.
require 'tasker_core' if ENV['TASKER_RB_HOME']
