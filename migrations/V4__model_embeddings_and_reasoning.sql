-- Capabilities now feed routing. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

-- An embedding model serves /v1/embeddings and never chat.
ALTER TABLE provider_models ADD COLUMN embeddings BOOLEAN NOT NULL DEFAULT FALSE;

-- `reasoning` now means "accepts reasoning requests" and, like every capability, defaults to capable. Rows written
-- before carry the old informational default FALSE, which would now turn reasoning requests away from them.
ALTER TABLE provider_models ALTER COLUMN reasoning SET DEFAULT TRUE;
UPDATE provider_models SET reasoning = TRUE;
