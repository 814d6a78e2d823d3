// title: What each report contains
// question_zh: 每份报告来自哪个机关和地区，提到多少机关、机构、工程项目、政策、专项活动和指标？
// question_en: For each report, which bureau and place issued it, and how many bodies, institutions, programmes, policies, campaigns and metrics does it mention?
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: report, title, bureau, jurisdiction, level, masked, bureaus, institutions, programmes, policies, campaigns, metrics
MATCH (report:Report)
OPTIONAL MATCH (entity)-[:MENTIONED_IN]->(report)
WITH report, collect(labels(entity)[0]) AS types
RETURN report.source AS report,
       report.title AS title,
       report.bureau AS bureau,
       report.jurisdiction AS jurisdiction,
       report.level AS level,
       report.masked AS masked,
       size([t IN types WHERE t = 'Bureau']) AS bureaus,
       size([t IN types WHERE t = 'Institution']) AS institutions,
       size([t IN types WHERE t = 'Programme']) AS programmes,
       size([t IN types WHERE t = 'Policy']) AS policies,
       size([t IN types WHERE t = 'Campaign']) AS campaigns,
       size([t IN types WHERE t = 'Metric']) AS metrics
ORDER BY report
LIMIT $limit
