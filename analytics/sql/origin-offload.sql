-- Origin offload per hour: the share of requests and of bytes served from CloudFront's caches
-- (logged Hit or RefreshHit) rather than fetched from the origins.
WITH
{{requests}}
SELECT
  r.hour_start,
  count(*) AS requests,
  sum(r.bytes) AS bytes,
  CAST(sum(r.is_hit) AS DOUBLE) / count(*) AS request_offload,
  CAST(sum(r.is_hit * r.bytes) AS DOUBLE) / NULLIF(sum(r.bytes), 0) AS byte_offload
FROM requests r
GROUP BY r.hour_start
ORDER BY r.hour_start
