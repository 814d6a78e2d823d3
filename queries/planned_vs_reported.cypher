// title: Planned versus reported work per report
// question_zh: 每份报告中，哪些举措是已完成（已开展）的工作，哪些是下一步计划？
// question_en: In each report, how many initiatives are reported as done and how many are only planned?
// param report: ""  (part of the report's file name or title; empty for every report)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: report, bureau, reported, planned, total, planned_share, planned_initiatives
MATCH (initiative)-[mention:MENTIONED_IN]->(report:Report)
WHERE (initiative:Programme OR initiative:Campaign OR initiative:Policy)
  AND (report.source CONTAINS $report OR report.title CONTAINS $report)
WITH report,
     sum(CASE WHEN mention.status = 'reported' THEN 1 ELSE 0 END) AS reported,
     collect(CASE WHEN mention.status = 'planned' THEN initiative.name END) AS planned_initiatives
WITH report, reported, size(planned_initiatives) AS planned, planned_initiatives
RETURN report.source AS report,
       report.bureau AS bureau,
       toInteger(reported) AS reported,
       planned,
       toInteger(reported) + planned AS total,
       round(1000.0 * planned / (reported + planned)) / 1000.0 AS planned_share,
       planned_initiatives
ORDER BY report
LIMIT $limit
