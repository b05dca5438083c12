-- Per-key override of sessions.store-text: 'default' follows the global setting, 'store' keeps message text in
-- session snippets, 'omit' keeps metadata only. Existing keys follow the global setting, as before.
ALTER TABLE api_keys ADD COLUMN session_text VARCHAR(16) NOT NULL DEFAULT 'default';
