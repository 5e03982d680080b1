# frozen_string_literal: true

# POST /orders, POST /orders/async, GET /orders/:id: the same API as the Axum, FastAPI and
# Bun apps. Bad input is a 422 naming every field; nothing is stored half-done.
class OrdersController < ApplicationController
  rescue_from ActiveRecord::RecordNotUnique do
    render json: { error: 'duplicate', message: 'this Idempotency-Key was already used' },
           status: :conflict
  end

  # ANCHOR: create
  def create
    input = OrderRequest.new(order_params)
    return invalid(input) if input.invalid?

    order = build_order(input, 'submitted')
    # Commits only once Tasker has accepted the task: a failure rolls the order back.
    Order.transaction do
      order.save!
      order.update!(task_uuid: TaskerTasks.create_for(order)['task_uuid'])
    end
    render json: order.as_json.slice(:id, :task_uuid, :status, :total), status: :created
  end
  # ANCHOR_END: create

  # ANCHOR: create_async
  def create_async
    input = OrderRequest.new(order_params)
    return invalid(input) if input.invalid?

    order = build_order(input, 'queued')
    order.save!
    CreateOrderTaskJob.perform_later(order.id)
    render json: { id: order.id, status: 'queued' }, status: :accepted
  end
  # ANCHOR_END: create_async

  def show
    order = Order.find_by(id: params[:id])
    order ? render(json: order) : not_found('order')
  end

  private

  # Not filtered with `permit`: strong parameters guard mass assignment, and would drop
  # rather than refuse a value of the wrong shape (a cart line that is not an object, a
  # name that is a list), where the other apps answer 422. OrderRequest reads only the
  # fields it names, and refuses each one of the wrong type.
  def order_params = json_params

  # With an Idempotency-Key the id is derived from the key, so a retry repeats the primary
  # key (and Tasker's identity, the context): both answer 409 instead of a second order.
  def build_order(input, status)
    key = request.headers['Idempotency-Key']
    id = if key
           Digest::UUID.uuid_v5(Digest::UUID::URL_NAMESPACE,
                                "urn:rails-quickstart:order:#{key}")
         else
           SecureRandom.uuid
         end
    Order.new(id:, customer_email: input.customer_email,
              items: input.cart_items.map(&:to_context),
              total: BigDecimal(input.totals[:total]) / 100, status:)
  end
end
