-- KEYS: the response record. Returns how many keys were removed.
return redis.call('DEL', KEYS[1])
