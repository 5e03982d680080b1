# frozen_string_literal: true

require 'socket'

# Points the app at a port nothing listens on, for the specs of what happens when Tasker
# cannot be reached: the connection is really refused, nothing is stubbed.
module UnreachableTasker
  def with_tasker_unreachable
    probe = TCPServer.new('127.0.0.1', 0)
    port = probe.addr[1]
    probe.close
    settings = Rails.configuration.x
    saved = settings.orchestration_url
    settings.orchestration_url = "http://127.0.0.1:#{port}"
    yield
  ensure
    settings.orchestration_url = saved
  end
end
