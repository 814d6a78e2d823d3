// title: Audit: entities with no relation
// question_zh: 哪些实体除了被报告提及以外，没有任何关系（负责、组成、指标）？
// question_en: Which entities have no relation besides being mentioned (no responsibility, part or metric)?
// param type: ""  (the entity type, e.g. Programme; empty for every type)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: type, entity, jurisdiction, reports
MATCH (entity)-[:MENTIONED_IN]->(:Report)
WHERE $type = '' OR labels(entity)[0] = $type
WITH DISTINCT entity
OPTIONAL MATCH (entity)-[link:RESPONSIBLE_FOR|PART_OF|MEASURED_BY]-()
WITH entity, count(link) AS links
WHERE links = 0
MATCH (entity)-[:MENTIONED_IN]->(report:Report)
WITH entity, collect(report.source) AS reports
RETURN labels(entity)[0] AS type,
       entity.name AS entity,
       entity.jurisdiction AS jurisdiction,
       reports
ORDER BY type, entity, jurisdiction
LIMIT $limit
