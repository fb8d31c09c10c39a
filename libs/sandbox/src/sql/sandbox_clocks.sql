-- Every sandbox's "now": real time plus the sandbox's clock offset. SQL functions read their time here.
CREATE OR REPLACE VIEW sandbox_clocks AS
SELECT id AS sandbox_id, now() + clock_offset_ms * interval '1 millisecond' AS now FROM sandboxes;
