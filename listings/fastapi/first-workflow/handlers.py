"""The greeting workflow's steps. The worker finds each class by its `handler_name`,
which is the `callable` the task template names."""

from tasker_core import StepContext, StepHandler, StepHandlerResult


class ComposeGreeting(StepHandler):
    handler_name = "handlers.ComposeGreeting"

    def call(self, context: StepContext) -> StepHandlerResult:
        name = context.get_input("name")
        if not name:
            return StepHandlerResult.failure("the task has no name", retryable=False)
        return StepHandlerResult.success({"greeting": f"Hello, {name}!"})


class DeliverGreeting(StepHandler):
    handler_name = "handlers.DeliverGreeting"

    def call(self, context: StepContext) -> StepHandlerResult:
        composed = context.get_dependency_result("compose_greeting")
        return StepHandlerResult.success({"delivered": composed["greeting"]})
