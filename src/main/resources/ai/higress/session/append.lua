-- KEYS: turns list, meta hash; ARGV: snippet, max turns, ttl millis, sticky provider, sticky model.
local ttl = tonumber(ARGV[3])
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('HSET', KEYS[2], 'provider', ARGV[4], 'model', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
