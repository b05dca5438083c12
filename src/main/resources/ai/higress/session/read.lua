-- KEYS: turns list, meta hash; ARGV: ttl millis. Returns {exists, provider, model, snippets}; slides the expiry.
local ttl = tonumber(ARGV[1])
local exists = redis.call('EXISTS', KEYS[1], KEYS[2])
if exists == 0 then
  return {0, false, false, {}}
end
local values = redis.call('HMGET', KEYS[2], 'provider', 'model')
local snippets = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return {1, values[1], values[2], snippets}
