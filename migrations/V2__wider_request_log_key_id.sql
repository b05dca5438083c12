-- Static configuration keys are logged as 'config:<name>', and names may be up to 255 characters.
ALTER TABLE request_log ALTER COLUMN api_key_id SET DATA TYPE VARCHAR(300);
