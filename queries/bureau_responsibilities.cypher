// title: Responsibilities of a bureau
// question_zh: 某教育局负责哪些工程项目、专项活动和政策？
// question_en: Which programmes, campaigns and policies is a given bureau responsible for?
// param bureau: 市教育局  (the bureau's name, or part of it)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: bureau, jurisdiction, type, initiative, status, reports
MATCH (b:Bureau)-[responsible:RESPONSIBLE_FOR]->(initiative)
WHERE b.name CONTAINS $bureau
  AND (initiative:Programme OR initiative:Campaign OR initiative:Policy)
UNWIND CASE WHEN size(coalesce(responsible.reports, [])) = 0 THEN [null] ELSE responsible.reports END AS report_id
OPTIONAL MATCH (report:Report {id: report_id})
WITH b, responsible, initiative, collect(report.source) AS sources
RETURN b.name AS bureau,
       b.jurisdiction AS jurisdiction,
       labels(initiative)[0] AS type,
       initiative.name AS initiative,
       responsible.status AS status,
       sources AS reports
ORDER BY bureau, jurisdiction, type, initiative
LIMIT $limit
