-- The batch pattern's import: one row per imported stock line. `writes` counts how many
-- times the row was written, so a row processed twice shows as 2, not as a silent overwrite.
CREATE TABLE stock_levels (
    import_id  uuid    NOT NULL,
    row_no     integer NOT NULL,
    sku        text    NOT NULL,
    quantity   integer NOT NULL,
    writes     integer NOT NULL DEFAULT 1,
    PRIMARY KEY (import_id, row_no)
);

-- How far each batch got: advanced in the same transaction as the rows it covers, so a
-- batch that runs again starts where the committed work ends.
CREATE TABLE import_checkpoints (
    import_id  uuid    NOT NULL,
    batch_id   text    NOT NULL,
    next_row   integer NOT NULL,
    PRIMARY KEY (import_id, batch_id)
);
