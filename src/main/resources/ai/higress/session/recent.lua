-- One page of a recent-session index, newest first: entries written within ttl, at or before the cursor's time,
-- skipping the entries of exactly that time already listed. Prunes entries older than ttl first.
-- KEYS[1] the index; ARGV: ttl millis, cursor time ('+inf' for the first page), skip, how many.
-- Returns {member, score, member, score, ...}.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], '-inf', 'WITHSCORES', 'LIMIT', tonumber(ARGV[3]),
  tonumber(ARGV[4]))
