-- Jobs that failed for good (their last attempt threw, or their error said retrying was useless), kept where
-- operators query everything else: Redis forgets failed jobs after a week. A sandbox's go with its reset.
CREATE TABLE failed_jobs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue            text NOT NULL,
  name             text NOT NULL,
  job_id           text NOT NULL,
  sandbox_id       text,
  payload          jsonb NOT NULL,
  error            text NOT NULL,
  attempts         integer NOT NULL,
  on_failure_error text,
  failed_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX failed_jobs_by_time ON failed_jobs (failed_at DESC);
CREATE INDEX failed_jobs_by_sandbox ON failed_jobs (sandbox_id);
