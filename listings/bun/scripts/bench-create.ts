// Round trip of POST /orders (validate, store the order, create the Tasker task, commit)
// through any of the quickstart apps, which share the API.
//   bun run scripts/bench-create.ts <app_url> [requests] [label]
export {}; // a module, so top-level await is allowed

const [appUrl, count = "20", label = appUrl] = process.argv.slice(2);
if (!appUrl || appUrl === "--help" || appUrl === "-h") {
  console.log("usage: bun run scripts/bench-create.ts <app_url> [requests] [label]");
  process.exit(appUrl ? 0 : 2); // --help succeeds; a missing URL is a usage error
}

const timings: number[] = [];
for (let i = 0; i < Number(count); i++) {
  const body = {
    customer_email: `bench-${Date.now()}-${i}@example.com`,
    cart_items: [
      { sku: "WIDGET-1", name: "Widget", quantity: 1 + (i % 5), unit_price: "24.99" },
    ],
  };
  const started = performance.now();
  const response = await fetch(`${appUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const elapsed = performance.now() - started;
  if (response.status !== 201)
    throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  if (i > 0) timings.push(elapsed); // the first request warms connections and the template
}
timings.sort((a, b) => a - b);
const at = (q: number) =>
  timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] ?? NaN;
console.log(
  `${label}: POST /orders median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms (${timings.length} requests)`,
);
