-- The gateway-wide recent-session index: a ZSET of "<session id> <owner>" scored by last write (ms, Redis' clock),
-- pruned by age and bounded in length on every write; it expires when no session was written for a whole ttl.
-- KEYS[1] the index; ARGV: member, ttl millis, index length; ARGV[4] 'del' to remove the member instead.
if ARGV[4] == 'del' then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
local ttl = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[3]) - 1)
redis.call('PEXPIRE', KEYS[1], ttl)
return now
