// title: Find an entity by name
// question_zh: 名称或别名中含有某个词的实体有哪些？它们属于哪个地区、出现在哪些报告里？
// question_en: Which entities have a name or alias containing a word, where are they, and which reports mention them?
// param name: 教育局  (part of the name or of an alias)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: type, name, aliases, scope, jurisdiction, status, reports, id
MATCH (entity)-[:MENTIONED_IN]->(report:Report)
WHERE entity.name CONTAINS $name
   OR any(alias IN coalesce(entity.aliases, []) WHERE alias CONTAINS $name)
RETURN labels(entity)[0] AS type,
       entity.name AS name,
       entity.aliases AS aliases,
       entity.scope AS scope,
       entity.jurisdiction AS jurisdiction,
       entity.status AS status,
       collect(report.source) AS reports,
       entity.id AS id
ORDER BY type, name, jurisdiction, id
LIMIT $limit
