// title: The most connected initiatives
// question_zh: 哪些举措与其他实体的关联最多（负责机关、组成部分、指标等）？
// question_en: Which initiatives have the most relations to other entities (responsible bodies, parts, metrics)?
// param limit: 10  (how many initiatives to list)
// columns: initiative, type, jurisdiction, degree, relations, reports
MATCH (initiative)-[link]-(other)
WHERE (initiative:Programme OR initiative:Campaign OR initiative:Policy)
  AND NOT type(link) IN ['MENTIONED_IN', 'INSTANCE_OF']
WITH initiative, count(link) AS degree, collect(DISTINCT type(link)) AS relations
RETURN initiative.name AS initiative,
       labels(initiative)[0] AS type,
       initiative.jurisdiction AS jurisdiction,
       degree,
       relations,
       size(initiative.reports) AS reports
ORDER BY degree DESC, reports DESC, initiative
LIMIT $limit
