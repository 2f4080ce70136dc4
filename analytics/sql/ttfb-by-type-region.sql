-- Time to first byte (ms) per content type, overall (viewer_area '*') and per viewer area:
-- p50, p95, p99 against the catalog's p95 target. approx_percentile is Athena's; the local runner
-- defines it as the exact (discrete) quantile.
WITH
{{requests}},
targets AS (SELECT * FROM {{targets}})
SELECT
  r.content_type,
  CASE WHEN grouping(r.viewer_area) = 1 THEN '*' ELSE r.viewer_area END AS viewer_area,
  count(*) AS requests,
  approx_percentile(r.ttfb_ms, 0.5) AS p50_ms,
  approx_percentile(r.ttfb_ms, 0.95) AS p95_ms,
  approx_percentile(r.ttfb_ms, 0.99) AS p99_ms,
  max(t.target_p95_ms) AS target_p95_ms,
  approx_percentile(r.ttfb_ms, 0.95) <= max(t.target_p95_ms) AS meets_target
FROM requests r
LEFT JOIN targets t ON t.content_type = r.content_type
WHERE r.ttfb_ms IS NOT NULL
GROUP BY GROUPING SETS ((r.content_type), (r.content_type, r.viewer_area))
ORDER BY r.content_type, grouping(r.viewer_area) DESC, 2
