// The steps of order_review: a decision point chooses, at run time, which of two steps the
// task gets. Orders from 1,000.00 are held for review; the rest are approved at once.
import {
  DecisionHandler,
  type StepContext,
  StepHandler,
  type StepHandlerResult,
} from "@tasker-systems/tasker";

/** Orders of this total or more get a manual_review step instead of auto_approve. */
export const REVIEW_FROM_CENTS = 100_000;

interface Approval {
  approved: boolean;
  by: string;
}

export class AssessOrderHandler extends StepHandler {
  static override handlerName = "Review.AssessOrderHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const totalCents = context.getInput("total_cents") as number;
    return this.success({
      total_cents: totalCents,
      needs_review: totalCents >= REVIEW_FROM_CENTS,
    });
  }
}

// ANCHOR: route_order
/** The decision point: decisionSuccess names the steps Tasker creates next. Only steps
 *  the template declares as this step's children can be named. */
export class RouteOrderHandler extends DecisionHandler {
  static override handlerName = "Review.RouteOrderHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const assessment = context.getDependencyResult("assess_order") as {
      needs_review: boolean;
    };
    const branch = assessment.needs_review ? "manual_review" : "auto_approve";
    return this.decisionSuccess([branch], { route: branch });
  }
}
// ANCHOR_END: route_order

export class AutoApproveHandler extends StepHandler {
  static override handlerName = "Review.AutoApproveHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const totalCents = context.getInput("total_cents");
    return this.success({ approved: true, by: "rules", total_cents: totalCents });
  }
}

/** Stands in for a person's decision: a real app would wait for one here. */
export class ManualReviewHandler extends StepHandler {
  static override handlerName = "Review.ManualReviewHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const totalCents = context.getInput("total_cents");
    return this.success({ approved: true, by: "review queue", total_cents: totalCents });
  }
}

/** Converges the branches: it depends on both, and Tasker makes it wait for the one the
 *  decision created. */
export class ConfirmOrderHandler extends StepHandler {
  static override handlerName = "Review.ConfirmOrderHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const approval = (context.getDependencyResult("manual_review") ??
      context.getDependencyResult("auto_approve")) as Approval;
    return this.success({ confirmed: approval.approved, approved_by: approval.by });
  }
}

export const reviewHandlers = [
  AssessOrderHandler,
  RouteOrderHandler,
  AutoApproveHandler,
  ManualReviewHandler,
  ConfirmOrderHandler,
];
