-- Hit ratio and byte hit ratio per viewer area (lib/routing/viewer-countries.ts) and country
-- (c-country; '-' when the log has none), cached routes only; the area's own row has country '*'.
WITH
{{requests}}
SELECT
  r.viewer_area,
  CASE WHEN grouping(r.country) = 1 THEN '*' ELSE r.country END AS country,
  count(*) AS requests,
  CAST(sum(r.is_hit) AS DOUBLE) / NULLIF(sum(r.is_cacheable), 0) AS hit_ratio,
  sum(r.bytes) AS bytes,
  CAST(sum(r.is_hit * r.bytes) AS DOUBLE) / NULLIF(sum(r.is_cacheable * r.bytes), 0) AS byte_hit_ratio
FROM requests r
WHERE r.cached_route = 'cached'
GROUP BY GROUPING SETS ((r.viewer_area), (r.viewer_area, r.country))
ORDER BY r.viewer_area, grouping(r.country) DESC, count(*) DESC, 2
