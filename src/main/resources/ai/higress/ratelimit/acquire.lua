-- Atomic admission of one request against a key's sliding one-minute windows.
-- KEYS[1] requests ZSET (member = reservation id, score = admission time in ms)
-- KEYS[2] tokens ZSET (member = "<id>:<reserved tokens>", score = admission time in ms)
-- KEYS[3] tokens total (the sum of the reserved tokens of the members of KEYS[2])
-- ARGV: rpm (-1 = unlimited), tpm (-1 = unlimited), tokens to reserve, reservation id, window in ms
-- Returns {allowed 1|0, refused by 0|1 requests|2 tokens, requests remaining (-1 = n/a), requests reset ms,
--          tokens remaining (-1 = n/a), tokens reset ms, retry after ms}
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local tokens = tonumber(ARGV[3])
local id = ARGV[4]
local window = tonumber(ARGV[5])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local cutoff = now - window
local ttl = window + 1000

local function reserved(member)
  return tonumber(string.match(member, ':(%d+)$'))
end

local function oldest_reset(key)
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #first == 0 then return 0 end
  return math.max(1, tonumber(first[2]) + window - now)
end

local count, requestsReset = 0, 0
if rpm >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', cutoff)
  count = redis.call('ZCARD', KEYS[1])
  requestsReset = oldest_reset(KEYS[1])
end
local used, tokensReset = 0, 0
if tpm >= 0 then
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff)
  if #expired > 0 then
    local freed = 0
    for _, member in ipairs(expired) do freed = freed + reserved(member) end
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', cutoff)
    redis.call('DECRBY', KEYS[3], freed)
  end
  if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[3]) end
  used = tonumber(redis.call('GET', KEYS[3]) or '0')
  tokensReset = oldest_reset(KEYS[2])
end

local requestsLeft = -1
if rpm >= 0 then requestsLeft = math.max(0, rpm - count) end
local tokensLeft = -1
if tpm >= 0 then tokensLeft = math.max(0, tpm - used) end

if rpm >= 0 and count >= rpm then
  return {0, 1, 0, requestsReset, tokensLeft, tokensReset, requestsReset}
end
if tpm >= 0 and used + tokens > tpm then
  local retry = window
  if tokens <= tpm then
    local need = used + tokens - tpm
    local entries = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
    local freed = 0
    for i = 1, #entries, 2 do
      freed = freed + reserved(entries[i])
      if freed >= need then
        retry = math.max(1, tonumber(entries[i + 1]) + window - now)
        break
      end
    end
  end
  return {0, 2, requestsLeft, requestsReset, tokensLeft, tokensReset, retry}
end

if rpm >= 0 then
  redis.call('ZADD', KEYS[1], now, id)
  redis.call('PEXPIRE', KEYS[1], ttl)
  requestsLeft = rpm - count - 1
  if requestsReset == 0 then requestsReset = window end
end
if tpm >= 0 then
  redis.call('ZADD', KEYS[2], now, id .. ':' .. tokens)
  used = redis.call('INCRBY', KEYS[3], tokens)
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
  tokensLeft = math.max(0, tpm - used)
  if tokensReset == 0 then tokensReset = window end
end
return {1, 0, requestsLeft, requestsReset, tokensLeft, tokensReset, 0}
