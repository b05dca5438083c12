-- KEYS: turns list, meta hash, the owner's recent-session index (ZSET of session ids scored by last write, ms).
-- ARGV: snippet, max turns, ttl millis, sticky provider, sticky model, owner name, session id, index length.
local ttl = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('HSET', KEYS[2], 'provider', ARGV[4], 'model', ARGV[5], 'owner_name', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('ZADD', KEYS[3], now, ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - ttl)
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[8]) - 1)
redis.call('PEXPIRE', KEYS[3], ttl)
return now
