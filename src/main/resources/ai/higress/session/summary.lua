-- Read-only summaries of one owner's sessions (their keys share the owner's hash tag); slides no expiry.
-- KEYS: turns list, meta hash, turns list, meta hash, ... Returns per session {exists 0|1, turns, provider|false,
-- model|false, owner name|false, ttl millis}.
local result = {}
for i = 1, #KEYS, 2 do
  local exists = redis.call('EXISTS', KEYS[i], KEYS[i + 1])
  local values = redis.call('HMGET', KEYS[i + 1], 'provider', 'model', 'owner_name')
  local ttl = math.max(redis.call('PTTL', KEYS[i]), redis.call('PTTL', KEYS[i + 1]))
  result[#result + 1] = exists > 0 and 1 or 0
  result[#result + 1] = redis.call('LLEN', KEYS[i])
  result[#result + 1] = values[1]
  result[#result + 1] = values[2]
  result[#result + 1] = values[3]
  result[#result + 1] = ttl
end
return result
