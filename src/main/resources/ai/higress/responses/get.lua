-- KEYS: the response record. Returns the record, or false when there is none.
return redis.call('GET', KEYS[1])
