// title: Audit: reports whose bureau has no responsibilities
// question_zh: 哪些报告中，发布报告的机关在该报告里没有任何负责的举措？
// question_en: Which reports give their own bureau no responsibility at all?
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: report, title, bureau, responsibilities_elsewhere
MATCH (report:Report)-[:ISSUED_BY]->(bureau)
OPTIONAL MATCH (bureau)-[responsible:RESPONSIBLE_FOR]->()
WITH report, bureau,
     sum(CASE WHEN report.id IN responsible.reports THEN 1 ELSE 0 END) AS here,
     count(responsible) AS anywhere
WHERE here = 0
RETURN report.source AS report,
       report.title AS title,
       bureau.name AS bureau,
       anywhere AS responsibilities_elsewhere
ORDER BY report
LIMIT $limit
