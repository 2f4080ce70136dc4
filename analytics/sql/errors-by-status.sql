-- Error responses (status 400 and above, and 000: the viewer left before a response started) per
-- status and content type, as a share of all requests and of the type's requests.
WITH
{{requests}},
per_type AS (SELECT content_type, sum(weight) AS type_requests FROM requests GROUP BY content_type)
SELECT
  r.status,
  r.content_type,
  sum(r.weight) AS requests,
  sum(r.weight) / (SELECT sum(weight) FROM requests) AS share_of_all,
  sum(r.weight) / max(p.type_requests) AS share_of_type
FROM requests r
JOIN per_type p ON p.content_type = r.content_type
WHERE r.status >= 400 OR r.status = 0
GROUP BY r.status, r.content_type
ORDER BY r.status, r.content_type
