-- Releases a lease. KEYS: the provider's leases, and the key's when it has a cap; ARGV[1]: lease id.
for _, key in ipairs(KEYS) do
  redis.call('ZREM', key, ARGV[1])
end
return 1
