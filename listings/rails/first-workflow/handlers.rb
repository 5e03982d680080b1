# frozen_string_literal: true

# The greeting workflow's steps. The worker finds each class by its name, which is the
# `callable` the task template names.

# Composes the greeting from the task's input.
class ComposeGreeting < TaskerCore::StepHandler::Base
  def call(context)
    name = context.get_input('name')
    return failure(message: 'the task has no name', retryable: false) if name.to_s.empty?

    success(result: { greeting: "Hello, #{name}!" })
  end
end

# Delivers what the step before it composed.
class DeliverGreeting < TaskerCore::StepHandler::Base
  def call(context)
    composed = context.get_dependency_result('compose_greeting')
    success(result: { delivered: composed['greeting'] })
  end
end
