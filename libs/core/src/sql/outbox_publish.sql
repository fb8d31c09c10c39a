-- Lets another module's SQL function write its event in the same statement (the capture hot path).
-- PL/pgSQL keeps its plan (CONTRIBUTING.md, "A SQL function or view").
CREATE OR REPLACE FUNCTION outbox_publish(p_id text, p_sandbox text, p_type text, p_data jsonb, p_request_id text, p_occurred_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_events (id, sandbox_id, type, data, request_id, occurred_at) VALUES (p_id, p_sandbox, p_type, p_data, p_request_id, p_occurred_at);
END $$;
