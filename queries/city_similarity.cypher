// title: Similarity of two cities' initiative portfolios
// question_zh: 两个城市（地区）开展的举措有多相似？（共同举措数 / 举措总数）
// question_en: How similar are two cities' initiative portfolios (shared / total)?
// param city_a: ""  (part of the first city's name or of its report's file name; empty for every city)
// param city_b: ""  (part of the second city's name or of its report's file name; empty for every city)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: city_a, city_b, shared, total, similarity, shared_initiatives
MATCH (report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
WITH DISTINCT place,
     CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS city
MATCH (place)<-[:LOCATED_IN]-(:Bureau)-[:RESPONSIBLE_FOR]->(initiative)
WHERE initiative:Programme OR initiative:Campaign OR initiative:Policy
OPTIONAL MATCH (initiative)-[:INSTANCE_OF]->(concept:Concept)
WITH city, collect(DISTINCT coalesce(concept.name, initiative.id)) AS portfolio,
     collect(DISTINCT concept.name) AS concepts
WITH collect({city: city, portfolio: portfolio, concepts: concepts}) AS cities
UNWIND cities AS a
UNWIND cities AS b
WITH a, b
WHERE a.city < b.city
  AND ((a.city CONTAINS $city_a AND b.city CONTAINS $city_b)
    OR (a.city CONTAINS $city_b AND b.city CONTAINS $city_a))
WITH a, b, [key IN a.portfolio WHERE key IN b.portfolio] AS shared
WITH a, b, shared, size(a.portfolio) + size(b.portfolio) - size(shared) AS total
RETURN a.city AS city_a,
       b.city AS city_b,
       size(shared) AS shared,
       total,
       CASE WHEN total = 0 THEN 0.0 ELSE round(1000.0 * size(shared) / total) / 1000.0 END AS similarity,
       [name IN a.concepts WHERE name IN shared] AS shared_initiatives
ORDER BY similarity DESC, city_a, city_b
LIMIT $limit
