-- RFC 9562 UUID version 7: 48-bit Unix time in milliseconds, then random bits.
-- Built from gen_random_uuid() (core since PostgreSQL 13): its variant bits are already the
-- RFC ones, so only the timestamp and the version nibble need replacing.
CREATE FUNCTION uuid_generate_v7() RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $$
DECLARE
  millis bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
  raw bytea := uuid_send(gen_random_uuid());
BEGIN
  raw := overlay(raw PLACING substring(int8send(millis) FROM 3) FROM 1 FOR 6);
  raw := set_byte(raw, 6, (get_byte(raw, 6) & 15) | 112);  -- version 7 in the high nibble
  RETURN encode(raw, 'hex')::uuid;
END
$$;
