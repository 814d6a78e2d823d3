// title: Audit: metrics with masked values
// question_zh: 哪些指标的数值被脱敏（如 **个、××%），无法比较？
// question_en: Which metrics have masked values (**个, ××%) that cannot be compared?
// param report: ""  (part of the report's file name; empty for every report)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: report, indicator, value, unit, measures
MATCH (metric:Metric)-[:MENTIONED_IN]->(report:Report)
WHERE metric.masked = true
  AND report.source CONTAINS $report
WITH metric, report
ORDER BY report.source, metric.name, metric.value
LIMIT $limit
OPTIONAL MATCH (entity)-[:MEASURED_BY]->(metric)
WITH metric, report, collect(entity.name) AS measures
RETURN report.source AS report,
       metric.name AS indicator,
       metric.value AS value,
       metric.unit AS unit,
       measures
ORDER BY report, indicator, value
LIMIT $limit
