-- KEYS: turns list, meta hash. Returns how many keys were removed.
return redis.call('DEL', KEYS[1], KEYS[2])
