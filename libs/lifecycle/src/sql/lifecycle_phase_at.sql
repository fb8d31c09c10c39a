-- The service phase a sandbox is in at a moment: the last transition in effect then, or 'operating'.
-- PL/pgSQL keeps its plan (CONTRIBUTING.md, "A SQL function or view"): every payment asks.
CREATE OR REPLACE FUNCTION lifecycle_phase_at(p_sandbox text, p_at timestamptz)
RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN COALESCE(
    (SELECT to_phase FROM lifecycle_transitions WHERE sandbox_id = p_sandbox AND effective_at <= p_at ORDER BY phase_index DESC LIMIT 1),
    'operating');
END $$;
