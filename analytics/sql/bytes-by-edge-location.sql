-- Bytes sent to viewers per edge location (x-edge-location), with the requests and the share of
-- them answered from the edge's cache.
WITH
{{requests}}
SELECT
  r.edge_location,
  count(*) AS requests,
  sum(r.bytes) AS bytes,
  CAST(sum(r.is_hit) AS DOUBLE) / NULLIF(sum(r.is_cacheable), 0) AS hit_ratio
FROM requests r
GROUP BY r.edge_location
ORDER BY sum(r.bytes) DESC, r.edge_location
