# frozen_string_literal: true

Rails.application.configure do
  # Every class loaded at boot: the worker finds handlers by name, and no request waits
  # for a file to load.
  config.eager_load = true
end
