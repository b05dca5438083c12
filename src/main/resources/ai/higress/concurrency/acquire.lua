-- Takes a lease under a provider's cap and, when given, under its key's cap, atomically; prunes lapsed leases first.
-- KEYS[1] the provider's leases (ZSET: member = lease id, score = when it lapses, ms on Redis' clock)
-- KEYS[2] the key's leases (only when the key has a cap of its own; same hash tag as KEYS[1])
-- ARGV: lease id, ttl ms, provider cap, key cap
-- Returns 0 granted, 1 the provider is full, 2 the key is full
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 1
end
if #KEYS == 2 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then
    return 2
  end
  redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ttl)
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
-- every member lapses by now + ttl at the latest, so the set may too
redis.call('PEXPIRE', KEYS[1], ttl)
return 0
