# frozen_string_literal: true

Rails.application.configure do
  # Classes load on first use and reload after an edit.
  config.eager_load = false
end
