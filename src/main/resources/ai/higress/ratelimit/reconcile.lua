-- Replaces a token reservation by the tokens actually used, keeping its admission time.
-- KEYS[1] tokens ZSET, KEYS[2] tokens total
-- ARGV: the reservation's member ("<id>:<reserved>"), tokens actually used, reservation id, window in ms
-- Returns the key's tokens in the window afterwards, or -1 when the reservation already left the window.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return -1 end
local old = tonumber(string.match(ARGV[1], ':(%d+)$'))
local actual = tonumber(ARGV[2])
local ttl = tonumber(ARGV[4]) + 1000
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], score, ARGV[3] .. ':' .. actual)
local used = redis.call('INCRBY', KEYS[2], actual - old)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return used
