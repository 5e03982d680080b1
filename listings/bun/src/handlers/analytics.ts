// The eight steps of analytics_pipeline: synthetic but deterministic data derived from the
// job's date range. The three extracts are async and record when they ran, so a test can
// show the worker running them side by side.
import {
  type StepContext,
  StepHandler,
  type StepHandlerResult,
} from "@tasker-systems/tasker";

const EXTRACT_LATENCY_MS = 300; // stands in for a slow query against a source system
const DAY_MS = 86_400_000;

type Row = Record<string, number>;

function days(context: StepContext): number {
  const from = Date.parse(`${context.getInput("date_from")}T00:00:00Z`);
  const to = Date.parse(`${context.getInput("date_to")}T00:00:00Z`);
  return (to - from) / DAY_MS + 1;
}

abstract class Extract extends StepHandler {
  static override handlerVersion = "1.0.0";
  abstract readonly source: string;
  abstract row(day: number): Row;

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const startedAt = new Date().toISOString();
    await Bun.sleep(EXTRACT_LATENCY_MS);
    const records = Array.from({ length: days(context) }, (_, day) => this.row(day));
    return this.success({
      source: this.source,
      record_count: records.length,
      records,
      started_at: startedAt,
      finished_at: new Date().toISOString(),
    });
  }
}

export class ExtractSalesDataHandler extends Extract {
  static override handlerName = "Analytics.ExtractSalesDataHandler";
  readonly source = "sales";
  row = (day: number) => ({ day, orders: 20 + (day % 7), revenue: 1000 + 37 * day });
}

export class ExtractInventoryDataHandler extends Extract {
  static override handlerName = "Analytics.ExtractInventoryDataHandler";
  readonly source = "inventory";
  row = (day: number) => ({ day, units_on_hand: 500 - 3 * day });
}

export class ExtractCustomerDataHandler extends Extract {
  static override handlerName = "Analytics.ExtractCustomerDataHandler";
  readonly source = "customer";
  row = (day: number) => ({ day, new_customers: 5 + (day % 3) });
}

// Readers of earlier results. The step names stay at the call sites, where tests/bindings
// checks them against the template's dependencies.
const recordsOf = (extracted: unknown): Row[] =>
  (extracted as { records: Row[] }).records;
const summaryOf = (transformed: unknown): Row =>
  (transformed as { summary: Row }).summary;
const sum = (rows: Row[], key: string): number =>
  rows.reduce((total, r) => total + (r[key] ?? 0), 0);

export class TransformSalesHandler extends StepHandler {
  static override handlerName = "Analytics.TransformSalesHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const rows = recordsOf(context.getDependencyResult("extract_sales_data"));
    return this.success({
      days: rows.length,
      summary: { total_orders: sum(rows, "orders"), total_revenue: sum(rows, "revenue") },
    });
  }
}

export class TransformInventoryHandler extends StepHandler {
  static override handlerName = "Analytics.TransformInventoryHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const rows = recordsOf(context.getDependencyResult("extract_inventory_data"));
    return this.success({
      days: rows.length,
      summary: { closing_units: rows.at(-1)?.units_on_hand ?? 0 },
    });
  }
}

export class TransformCustomersHandler extends StepHandler {
  static override handlerName = "Analytics.TransformCustomersHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const rows = recordsOf(context.getDependencyResult("extract_customer_data"));
    return this.success({
      days: rows.length,
      summary: { new_customers: sum(rows, "new_customers") },
    });
  }
}

export class AggregateMetricsHandler extends StepHandler {
  static override handlerName = "Analytics.AggregateMetricsHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const sales = summaryOf(context.getDependencyResult("transform_sales"));
    const inventory = summaryOf(context.getDependencyResult("transform_inventory"));
    const customers = summaryOf(context.getDependencyResult("transform_customers"));
    const orders = sales.total_orders ?? 0;
    const revenue = sales.total_revenue ?? 0;
    return this.success({
      total_revenue: revenue,
      total_orders: orders,
      average_order_value: orders ? revenue / orders : 0,
      closing_units: inventory.closing_units,
      new_customers: customers.new_customers,
    });
  }
}

export class GenerateInsightsHandler extends StepHandler {
  static override handlerName = "Analytics.GenerateInsightsHandler";
  static override handlerVersion = "1.0.0";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const m = context.getDependencyResult("aggregate_metrics") as Row;
    const insights = [
      `${m.total_orders} orders brought in ${m.total_revenue} in revenue`,
    ];
    if ((m.closing_units ?? 0) < 450)
      insights.push("inventory is running low: reorder soon");
    return this.success({ insights, metrics: m });
  }
}

export const analyticsHandlers = [
  ExtractSalesDataHandler,
  ExtractInventoryDataHandler,
  ExtractCustomerDataHandler,
  TransformSalesHandler,
  TransformInventoryHandler,
  TransformCustomersHandler,
  AggregateMetricsHandler,
  GenerateInsightsHandler,
];
