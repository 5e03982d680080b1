-- Tasker's migrations call uuid_generate_v7(); PostgreSQL 18 has it as uuidv7().
CREATE OR REPLACE FUNCTION uuid_generate_v7() RETURNS uuid
AS $$ SELECT uuidv7(); $$ LANGUAGE SQL VOLATILE PARALLEL SAFE;
