# frozen_string_literal: true

Rails.application.configure do
  # Classes load on first use, so a spec run starts fast.
  config.eager_load = false
end
