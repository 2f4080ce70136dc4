-- Origin offload per hour: the share of requests and of bytes served from CloudFront's caches
-- (logged Hit or RefreshHit) rather than fetched from the origins.
WITH
{{requests}}
SELECT
  date_trunc('hour', r.ts) AS hour_start,
  sum(r.weight) AS requests,
  sum(r.bytes * r.weight) AS bytes,
  sum(r.is_hit * r.weight) / sum(r.weight) AS request_offload,
  sum(r.is_hit * r.bytes * r.weight) / NULLIF(sum(r.bytes * r.weight), 0) AS byte_offload
FROM requests r
GROUP BY date_trunc('hour', r.ts)
ORDER BY 1
