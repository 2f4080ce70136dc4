-- Miss spikes, the mark an invalidation leaves: per content type and 5-minute window, the miss ratio
-- of cacheable requests against the mean of the hour before (the 12 preceding windows with traffic).
-- Windows with at least 20 cacheable requests whose miss ratio is at least twice that baseline (or
-- any misses after a miss-free hour) are listed, largest spike first. Requests are summed per minute
-- first, and the minutes per window.
WITH
{{requests}},
minutes AS (
  SELECT
    r.content_type,
    date_trunc('minute', r.ts) AS minute_start,
    sum(r.is_cacheable * r.weight) AS cacheable_requests,
    sum((r.is_cacheable - r.is_hit) * r.weight) AS misses
  FROM requests r
  WHERE r.cached_route = 'cached'
  GROUP BY 1, 2
),
windows AS (
  SELECT
    m.content_type,
    m.minute_start - ((minute(m.minute_start) % 5) * INTERVAL '1' MINUTE) AS window_start,
    sum(m.cacheable_requests) AS cacheable_requests,
    sum(m.misses) AS misses
  FROM minutes m
  GROUP BY 1, 2
),
ratios AS (
  SELECT
    w.*,
    w.misses / NULLIF(w.cacheable_requests, 0) AS miss_ratio
  FROM windows w
),
baselines AS (
  SELECT
    x.*,
    avg(x.miss_ratio) OVER (PARTITION BY x.content_type ORDER BY x.window_start ROWS BETWEEN 12 PRECEDING AND 1 PRECEDING) AS baseline_miss_ratio
  FROM ratios x
)
SELECT
  b.content_type,
  b.window_start,
  b.cacheable_requests,
  b.misses,
  b.miss_ratio,
  b.baseline_miss_ratio,
  b.miss_ratio / NULLIF(b.baseline_miss_ratio, 0) AS spike
FROM baselines b
WHERE b.cacheable_requests >= 20
  AND b.baseline_miss_ratio IS NOT NULL
  AND b.miss_ratio > 0
  AND b.miss_ratio >= 2 * b.baseline_miss_ratio
ORDER BY coalesce(b.miss_ratio / NULLIF(b.baseline_miss_ratio, 0), 1e9) DESC, b.window_start, b.content_type
