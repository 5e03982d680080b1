"""The eight steps of analytics_pipeline. Synthetic but deterministic data (derived from
the job's date range); each extract records when it ran, so a test can show the three
overlap.
The extracts are async: the worker awaits them side by side."""

import asyncio
from datetime import date, datetime, timezone

from tasker_core import StepContext, StepHandler, StepHandlerResult

EXTRACT_LATENCY_S = 0.3  # stands in for a slow query against a source system


def _days(context: StepContext) -> int:
    start = date.fromisoformat(context.get_input("date_from"))
    end = date.fromisoformat(context.get_input("date_to"))
    return (end - start).days + 1


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class _Extract(StepHandler):
    source = ""

    def record(self, day: int) -> dict:
        raise NotImplementedError

    async def call(self, context: StepContext) -> StepHandlerResult:
        started_at = _now()
        days = _days(context)
        await asyncio.sleep(EXTRACT_LATENCY_S)
        records = [self.record(d) for d in range(days)]
        return StepHandlerResult.success(
            {
                "source": self.source,
                "record_count": len(records),
                "records": records,
                "started_at": started_at,
                "finished_at": _now(),
            }
        )


class ExtractSalesDataHandler(_Extract):
    handler_name = "app.handlers.analytics.ExtractSalesDataHandler"
    source = "sales"

    def record(self, day: int) -> dict:
        return {"day": day, "orders": 20 + day % 7, "revenue": 1000 + 37 * day}


class ExtractInventoryDataHandler(_Extract):
    handler_name = "app.handlers.analytics.ExtractInventoryDataHandler"
    source = "inventory"

    def record(self, day: int) -> dict:
        return {"day": day, "units_on_hand": 500 - 3 * day}


class ExtractCustomerDataHandler(_Extract):
    handler_name = "app.handlers.analytics.ExtractCustomerDataHandler"
    source = "customer"

    def record(self, day: int) -> dict:
        return {"day": day, "new_customers": 5 + day % 3}


def _records(context: StepContext, step: str) -> list[dict]:
    return context.get_dependency_result(step)["records"]


class TransformSalesHandler(StepHandler):
    handler_name = "app.handlers.analytics.TransformSalesHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        rs = _records(context, "extract_sales_data")
        summary = {
            "total_orders": sum(r["orders"] for r in rs),
            "total_revenue": sum(r["revenue"] for r in rs),
        }
        return StepHandlerResult.success({"days": len(rs), "summary": summary})


class TransformInventoryHandler(StepHandler):
    handler_name = "app.handlers.analytics.TransformInventoryHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        rs = _records(context, "extract_inventory_data")
        return StepHandlerResult.success(
            {
                "days": len(rs),
                "summary": {"closing_units": rs[-1]["units_on_hand"] if rs else 0},
            }
        )


class TransformCustomersHandler(StepHandler):
    handler_name = "app.handlers.analytics.TransformCustomersHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        rs = _records(context, "extract_customer_data")
        return StepHandlerResult.success(
            {
                "days": len(rs),
                "summary": {"new_customers": sum(r["new_customers"] for r in rs)},
            }
        )


class AggregateMetricsHandler(StepHandler):
    handler_name = "app.handlers.analytics.AggregateMetricsHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        sales = context.get_dependency_result("transform_sales")["summary"]
        inventory = context.get_dependency_result("transform_inventory")["summary"]
        customers = context.get_dependency_result("transform_customers")["summary"]
        orders, revenue = sales["total_orders"], sales["total_revenue"]
        return StepHandlerResult.success(
            {
                "total_revenue": revenue,
                "total_orders": orders,
                "average_order_value": revenue / orders if orders else 0.0,
                "closing_units": inventory["closing_units"],
                "new_customers": customers["new_customers"],
            }
        )


class GenerateInsightsHandler(StepHandler):
    handler_name = "app.handlers.analytics.GenerateInsightsHandler"

    def call(self, context: StepContext) -> StepHandlerResult:
        m = context.get_dependency_result("aggregate_metrics")
        insights = [
            f"{m['total_orders']} orders brought in {m['total_revenue']} in revenue"
        ]
        if m["closing_units"] < 450:
            insights.append("inventory is running low: reorder soon")
        return StepHandlerResult.success({"insights": insights, "metrics": m})
