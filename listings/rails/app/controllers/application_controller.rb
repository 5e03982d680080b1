# frozen_string_literal: true

# What every JSON endpoint of the app shares: the body read within its size limit and
# parsed, and the answers for what can go wrong before a controller's own work.
class ApplicationController < ActionController::API
  class MalformedBody < StandardError; end
  class BodyTooLarge < StandardError; end
  class NotJson < StandardError; end

  # Rack 3.1 renamed these two statuses' symbols (:unprocessable_content,
  # :content_too_large) and warns on the old ones; a number means the same on every Rack.
  UNPROCESSABLE = 422
  TOO_LARGE = 413

  rescue_from MalformedBody do |e|
    render json: { error: 'validation_failed', fields: { body: e.message } },
           status: UNPROCESSABLE
  end
  # Only a body declared as JSON is read: a browser sends text/plain across sites without
  # asking first.
  rescue_from NotJson do
    message = 'must be sent with content-type: application/json'
    render json: { error: 'validation_failed', fields: { body: message } },
           status: :unsupported_media_type
  end
  rescue_from BodyTooLarge do
    message = "must be at most #{OrderRequest::MAX_BODY_BYTES} bytes"
    render json: { error: 'validation_failed', fields: { body: message } },
           status: TOO_LARGE
  end
  rescue_from TaskerTasks::Unavailable do |e|
    render json: { error: 'tasker_unavailable', message: e.message, stored: false },
           status: :service_unavailable
  end

  private

  # The body, a JSON object read no further than the limit, as parameters for a
  # controller to permit. Read here rather than by Rails' own parser, which reads a body
  # whole before anything can refuse it. JSON.parse refuses nesting deeper than 100
  # levels, which answers like any other malformed body.
  def json_params
    media_type = request.media_type.to_s
    raise NotJson unless media_type == 'application/json' || media_type.end_with?('+json')

    raw = request.body.read(OrderRequest::MAX_BODY_BYTES + 1).to_s
    raise BodyTooLarge if raw.bytesize > OrderRequest::MAX_BODY_BYTES

    body = JSON.parse(raw)
    raise MalformedBody, 'must be a JSON object' unless body.is_a?(Hash)

    ActionController::Parameters.new(body)
  rescue JSON::ParserError => e
    raise MalformedBody, "is not valid JSON: #{e.message}"
  end

  # A 422 naming each field the model's validations refused, with its first message.
  def invalid(model)
    fields = model.errors.to_hash.transform_values(&:first)
    render json: { error: 'validation_failed', fields: }, status: UNPROCESSABLE
  end

  def not_found(what)
    render json: { error: 'not_found', message: "no such #{what}" }, status: :not_found
  end
end
