-- The example app's own records. Tasker keeps workflow state in its own database; the app
-- keeps what the business cares about plus the task_uuid that links the two.
CREATE TABLE orders (
    id             uuid PRIMARY KEY,
    customer_email text        NOT NULL,
    items          jsonb       NOT NULL,
    -- Money in whole cents, as the app computes it.
    total_cents    bigint      NOT NULL CHECK (total_cents > 0),
    -- submitted: task created | queued: background job pending | failed: see failure_reason
    status         text        NOT NULL CHECK (status IN ('submitted', 'queued', 'failed')),
    task_uuid      uuid,
    failure_reason text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE analytics_jobs (
    id             uuid PRIMARY KEY,
    source         text        NOT NULL,
    date_from      date        NOT NULL,
    date_to        date        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('submitted', 'queued', 'failed')),
    task_uuid      uuid,
    failure_reason text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
