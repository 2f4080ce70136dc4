-- The requests every analysis reads: one distribution's log lines in [from, to), typed, with the
-- content type, the cache class and the viewer area generated from the catalog and the country table
-- (lib/analytics), and the weight of each line: the number of requests it stands for (1 for
-- CloudFront's own lines, which have no sample_weight; a sampled line's weight for the simulator's).
-- Every count and sum below is weighted. Parameters, in this order: first hour (YYYYMMDDHH), last hour (YYYYMMDDHH), from
-- (timestamp), to (timestamp, exclusive), distribution id (a LIKE pattern; '%' for every one).
-- The hour bounds prune the partitions (year, month, day, hour) before any file is read.
requests AS (
  SELECT
    CAST(concat(l."date", ' ', l."time") AS TIMESTAMP) AS ts,
    date_trunc('hour', CAST(concat(l."date", ' ', l."time") AS TIMESTAMP)) AS hour_start,
    l.x_edge_location AS edge_location,
    coalesce(l.c_country, '-') AS country,
    {{viewer_area}} AS viewer_area,
    l.cs_method AS method,
    l.cs_uri_stem AS path,
    try_cast(l.sc_status AS INTEGER) AS status,
    l.x_edge_result_type AS result_type,
    l.x_edge_detailed_result_type AS detailed_result_type,
    coalesce(try_cast(l.sc_bytes AS BIGINT), 0) AS bytes,
    coalesce(try_cast(l.sample_weight AS DOUBLE), 1e0) AS weight,
    try_cast(l.time_to_first_byte AS DOUBLE) * 1000 AS ttfb_ms,
    {{content_type}} AS content_type,
    {{cached_route}} AS cached_route,
    CASE WHEN l.cs_method IN {{cacheable_methods}} AND l.x_edge_result_type IN {{hit_result_types}} THEN 1 ELSE 0 END AS is_hit,
    CASE WHEN l.cs_method IN {{cacheable_methods}} AND l.x_edge_result_type IN {{cacheable_result_types}} THEN 1 ELSE 0 END AS is_cacheable
  FROM cloudfront_logs l
  WHERE CAST(l.year AS BIGINT) * 1000000 + l.month * 10000 + l.day * 100 + l.hour BETWEEN CAST(? AS BIGINT) AND CAST(? AS BIGINT)
    AND CAST(concat(l."date", ' ', l."time") AS TIMESTAMP) >= CAST(? AS TIMESTAMP)
    AND CAST(concat(l."date", ' ', l."time") AS TIMESTAMP) < CAST(? AS TIMESTAMP)
    AND l.distributionid LIKE ?
)
