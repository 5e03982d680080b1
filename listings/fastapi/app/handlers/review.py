"""The steps of order_review: a decision point chooses, at run time, which of two steps
the task gets. Orders from 1,000.00 are held for review; the rest are approved at once."""

from tasker_core import StepContext, StepHandler, StepHandlerResult
from tasker_core.step_handler.mixins import DecisionMixin

# Orders of this total or more get a manual_review step instead of auto_approve.
REVIEW_FROM_CENTS = 100_000


class AssessOrderHandler(StepHandler):
    handler_name = "app.handlers.review.AssessOrderHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        total_cents = context.get_input("total_cents")
        return StepHandlerResult.success(
            {"total_cents": total_cents, "needs_review": total_cents >= REVIEW_FROM_CENTS}
        )


# ANCHOR: route_order
class RouteOrderHandler(DecisionMixin, StepHandler):
    """The decision point: decision_success names the steps Tasker creates next. Only
    steps the template declares as this step's children can be named."""

    handler_name = "app.handlers.review.RouteOrderHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        assessment = context.get_dependency_result("assess_order")
        branch = "manual_review" if assessment["needs_review"] else "auto_approve"
        return self.decision_success([branch], routing_context={"route": branch})
        # ANCHOR_END: route_order


class AutoApproveHandler(StepHandler):
    handler_name = "app.handlers.review.AutoApproveHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        total_cents = context.get_input("total_cents")
        return StepHandlerResult.success(
            {"approved": True, "by": "rules", "total_cents": total_cents}
        )


class ManualReviewHandler(StepHandler):
    """Stands in for a person's decision: a real app would wait for one here."""

    handler_name = "app.handlers.review.ManualReviewHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        total_cents = context.get_input("total_cents")
        return StepHandlerResult.success(
            {"approved": True, "by": "review queue", "total_cents": total_cents}
        )


class ConfirmOrderHandler(StepHandler):
    """Converges the branches: it depends on both, and Tasker makes it wait for the one
    the decision created."""

    handler_name = "app.handlers.review.ConfirmOrderHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        approval = context.get_dependency_result(
            "manual_review"
        ) or context.get_dependency_result("auto_approve")
        return StepHandlerResult.success(
            {"confirmed": approval["approved"], "approved_by": approval["by"]}
        )
