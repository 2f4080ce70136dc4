-- The requests every analysis reads: one distribution's log lines in [from, to), typed, with the
-- content type, the cache class and the viewer area generated from the catalog and the country table
-- (lib/analytics), and the weight of each line: the number of requests it stands for (1 for
-- CloudFront's own lines, which have no sample_weight; a sampled line's weight for the simulator's).
-- Every count and sum below is weighted. Parameters, in this order: first hour (YYYYMMDDHH), last hour (YYYYMMDDHH), from
-- (timestamp), to (timestamp, exclusive), distribution id (a LIKE pattern; '%' for every one).
-- The hour bounds prune the partitions (year, month, day, hour) before any file is read. The
-- timestamp, the path without its leading '/' and the index of the first matching behavior class
-- are computed once per line in the inner queries; the content type and cache class come from
-- joining that index to the classes' table (every index, the default's too, has one row). Only the columns the analyses read are kept (the method and result types are
-- read into is_hit and is_cacheable).
requests AS (
  SELECT
    l.ts,
    l.x_edge_location AS edge_location,
    coalesce(l.c_country, '-') AS country,
    coalesce(a.viewer_area, {{unknown_area}}) AS viewer_area,
    l.cs_uri_stem AS path,
    try_cast(l.sc_status AS INTEGER) AS status,
    coalesce(try_cast(l.sc_bytes AS BIGINT), 0) AS bytes,
    coalesce(try_cast(l.sample_weight AS DOUBLE), 1e0) AS weight,
    try_cast(l.time_to_first_byte AS DOUBLE) * 1000 AS ttfb_ms,
    b.content_type,
    b.cached_route,
    CASE WHEN l.cs_method IN {{cacheable_methods}} AND l.x_edge_result_type IN {{hit_result_types}} THEN 1 ELSE 0 END AS is_hit,
    CASE WHEN l.cs_method IN {{cacheable_methods}} AND l.x_edge_result_type IN {{cacheable_result_types}} THEN 1 ELSE 0 END AS is_cacheable
  FROM (
    SELECT
      t.*,
      {{behavior}} AS behavior
    FROM (
      SELECT
        s.*,
        CAST(concat(s."date", ' ', s."time") AS TIMESTAMP) AS ts,
        {{normalized_path}} AS normalized_path
      FROM cloudfront_logs s
      WHERE CAST(s.year AS BIGINT) * 1000000 + s.month * 10000 + s.day * 100 + s.hour BETWEEN CAST(? AS BIGINT) AND CAST(? AS BIGINT)
    ) t
    WHERE t.ts >= CAST(? AS TIMESTAMP)
      AND t.ts < CAST(? AS TIMESTAMP)
      AND t.distributionid LIKE ?
  ) l
  JOIN {{behavior_classes}} ON b.behavior = l.behavior
  LEFT JOIN {{viewer_areas}} ON a.country = l.c_country
)
