// title: How cities name a national initiative
// question_zh: 某项国家举措（如“双一流”建设）在各地报告中以哪些名称出现？由哪些机关负责？
// question_en: Under which names does a national initiative appear in each city's reports, and which bodies are responsible for it?
// param concept: 双一流  (part of the concept's Chinese or English name)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: concept, city, type, initiative, scope, status, responsible
MATCH (initiative)-[:INSTANCE_OF]->(concept:Concept)
WHERE concept.name CONTAINS $concept OR concept.name_en CONTAINS $concept
MATCH (initiative)-[:MENTIONED_IN]->(report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
OPTIONAL MATCH (body)-[responsible:RESPONSIBLE_FOR]->(initiative)
WHERE report.id IN responsible.reports
WITH concept, initiative, report, place, collect(DISTINCT body.name) AS responsible
RETURN concept.name AS concept,
       CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS city,
       labels(initiative)[0] AS type,
       initiative.name AS initiative,
       initiative.scope AS scope,
       initiative.status AS status,
       responsible
ORDER BY concept, city, type, initiative
LIMIT $limit
