# frozen_string_literal: true

# ANCHOR: routes
Rails.application.routes.draw do
  get 'health', to: proc { [200, { 'content-type' => 'application/json' }, ['"ok"']] }
  resources :orders, only: %i[create show] do
    post :async, on: :collection, action: :create_async
  end
  resources :analytics_jobs, path: 'analytics/jobs', only: %i[create show]
end
# ANCHOR_END: routes
