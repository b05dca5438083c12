-- The output limit sent to protocols that require one (Anthropic) when the client sets none.
ALTER TABLE providers ADD COLUMN default_max_tokens INTEGER NOT NULL DEFAULT 4096;
