-- Bytes sent to viewers per edge location (x-edge-location), with the requests and the share of
-- them answered from the edge's cache.
WITH
{{requests}}
SELECT
  r.edge_location,
  sum(r.weight) AS requests,
  sum(r.bytes * r.weight) AS bytes,
  sum(r.is_hit * r.weight) / NULLIF(sum(r.is_cacheable * r.weight), 0) AS hit_ratio
FROM requests r
GROUP BY r.edge_location
ORDER BY sum(r.bytes * r.weight) DESC, r.edge_location
