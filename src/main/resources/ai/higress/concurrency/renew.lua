-- Extends the leases this replica still holds on one provider. KEYS: the provider's leases, then the capped keys'
-- leases (one hash tag); ARGV: ttl ms, then lease ids. XX: a lease released (or lost) meanwhile is not brought back.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  for i = 2, #ARGV do
    redis.call('ZADD', key, 'XX', now + ttl, ARGV[i])
  end
  if redis.call('EXISTS', key) == 1 then
    redis.call('PEXPIRE', key, ttl)
  end
end
return 1
