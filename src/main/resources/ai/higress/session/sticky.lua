-- KEYS: turns list, meta hash; ARGV: ttl millis. Returns {provider|false, model|false}; slides the expiry.
local ttl = tonumber(ARGV[1])
local values = redis.call('HMGET', KEYS[2], 'provider', 'model')
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
if values[1] then
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return values
