-- Hit ratio and byte hit ratio per viewer area (lib/routing/viewer-countries.ts) and country
-- (c-country; '-' when the log has none), cached routes only; the area's own row has country '*'.
WITH
{{requests}}
SELECT
  r.viewer_area,
  CASE WHEN grouping(r.country) = 1 THEN '*' ELSE r.country END AS country,
  sum(r.weight) AS requests,
  sum(r.is_hit * r.weight) / NULLIF(sum(r.is_cacheable * r.weight), 0) AS hit_ratio,
  sum(r.bytes * r.weight) AS bytes,
  sum(r.is_hit * r.bytes * r.weight) / NULLIF(sum(r.is_cacheable * r.bytes * r.weight), 0) AS byte_hit_ratio
FROM requests r
WHERE r.cached_route = 'cached'
GROUP BY GROUPING SETS ((r.viewer_area), (r.viewer_area, r.country))
ORDER BY r.viewer_area, grouping(r.country) DESC, sum(r.weight) DESC, 2
