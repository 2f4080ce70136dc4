-- The 50 paths with the most cache misses (cacheable GET/HEAD requests logged Miss) and the bytes
-- the origins served for them: candidates for longer TTLs, warming or a better cache key.
WITH
{{requests}}
SELECT
  r.content_type,
  r.path,
  sum(r.weight) AS misses,
  sum(r.bytes * r.weight) AS miss_bytes
FROM requests r
WHERE r.is_cacheable = 1 AND r.is_hit = 0
GROUP BY r.content_type, r.path
ORDER BY sum(r.weight) DESC, r.path
LIMIT 50
