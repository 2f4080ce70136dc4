-- Time to first byte (ms) per content type, overall (viewer_area '*') and per viewer area:
-- p50, p95, p99 against the catalog's p95 target. Weighted discrete quantiles, the same in Athena and
-- DuckDB: the smallest time with at least that share of the requests' weight at or below it (with
-- every weight 1, the exact percentile of the logged times; logs give them to the millisecond).
-- The requests are summed per type, area and time once; the type's overall steps add up the areas'.
WITH
{{requests}},
targets AS (SELECT * FROM {{targets}}),
steps_by_area AS (
  SELECT r.content_type, r.viewer_area, r.ttfb_ms, sum(r.weight) AS weight
  FROM requests r
  WHERE r.ttfb_ms IS NOT NULL
  GROUP BY r.content_type, r.viewer_area, r.ttfb_ms
),
steps AS (
  SELECT s.content_type, '*' AS viewer_area, s.ttfb_ms, sum(s.weight) AS weight
  FROM steps_by_area s
  GROUP BY s.content_type, s.ttfb_ms
  UNION ALL
  SELECT s.content_type, s.viewer_area, s.ttfb_ms, s.weight FROM steps_by_area s
),
cumulative AS (
  SELECT
    s.content_type,
    s.viewer_area,
    s.ttfb_ms,
    sum(s.weight) OVER (PARTITION BY s.content_type, s.viewer_area ORDER BY s.ttfb_ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS at_or_below,
    sum(s.weight) OVER (PARTITION BY s.content_type, s.viewer_area) AS total
  FROM steps s
),
percentiles AS (
  SELECT
    c.content_type,
    c.viewer_area,
    max(c.total) AS requests,
    min(CASE WHEN c.at_or_below >= 0.5 * c.total THEN c.ttfb_ms END) AS p50_ms,
    min(CASE WHEN c.at_or_below >= 0.95 * c.total THEN c.ttfb_ms END) AS p95_ms,
    min(CASE WHEN c.at_or_below >= 0.99 * c.total THEN c.ttfb_ms END) AS p99_ms
  FROM cumulative c
  GROUP BY c.content_type, c.viewer_area
)
SELECT
  p.content_type,
  p.viewer_area,
  p.requests,
  p.p50_ms,
  p.p95_ms,
  p.p99_ms,
  t.target_p95_ms,
  p.p95_ms <= t.target_p95_ms AS meets_target
FROM percentiles p
LEFT JOIN targets t ON t.content_type = p.content_type
ORDER BY p.content_type, CASE WHEN p.viewer_area = '*' THEN 0 ELSE 1 END, p.viewer_area
