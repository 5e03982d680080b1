-- The payment pattern's charges, at most one per payment: the payment's id is the
-- charge's key, as it would be a card processor's idempotency key, so a payment asked
-- for again (a retried step, a second task for it) finds its charge, not a new one.
CREATE TABLE charges (
    payment_id    uuid        PRIMARY KEY,
    amount_cents  bigint      NOT NULL,
    task_uuid     uuid        NOT NULL,
    attempt       integer     NOT NULL,
    charged_at    timestamptz NOT NULL DEFAULT now()
);
