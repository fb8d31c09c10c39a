// Each Jest worker gets its own queue prefix: its relay and processors see only its own jobs.
process.env.QUEUE_PREFIX = `${process.env.QUEUE_PREFIX}_w${process.env.JEST_WORKER_ID ?? '0'}`;
