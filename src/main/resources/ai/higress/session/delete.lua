-- KEYS: turns list, meta hash, the owner's recent-session index; ARGV: session id.
-- Returns how many of the session's keys were removed.
redis.call('ZREM', KEYS[3], ARGV[1])
return redis.call('DEL', KEYS[1], KEYS[2])
