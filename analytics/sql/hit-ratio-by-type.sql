-- Hit ratio and byte hit ratio per content type, against the catalog's hit-ratio targets.
-- Cached routes only (a never-cached personalized route is a miss by design); hits are GET/HEAD
-- requests logged Hit or RefreshHit over those logged Hit, RefreshHit or Miss (CacheHitRate's rule).
WITH
{{requests}},
targets AS (SELECT * FROM {{targets}})
SELECT
  r.content_type,
  sum(r.weight) AS requests,
  sum(r.is_cacheable * r.weight) AS cacheable_requests,
  sum(r.is_hit * r.weight) AS hits,
  sum(r.is_hit * r.weight) / NULLIF(sum(r.is_cacheable * r.weight), 0) AS hit_ratio,
  sum(r.bytes * r.weight) AS bytes,
  sum(r.is_hit * r.bytes * r.weight) / NULLIF(sum(r.is_cacheable * r.bytes * r.weight), 0) AS byte_hit_ratio,
  max(t.target_hit_ratio) AS target_hit_ratio
FROM requests r
LEFT JOIN targets t ON t.content_type = r.content_type
WHERE r.cached_route = 'cached'
GROUP BY r.content_type
ORDER BY r.content_type
