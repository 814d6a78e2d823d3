// title: Compare a quantity across reports
// question_zh: 某类指标（如“学位”“就业”）在各报告中的数值分别是多少？
// question_en: What values do the reports give for a kind of quantity (e.g. school places, jobs), side by side?
// param indicator: 学位  (part of the indicator's name)
// param include_masked: true  (false to leave out masked values)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: indicator, value, numeric, unit, masked, comparison, measures, report
MATCH (metric:Metric)-[:MENTIONED_IN]->(report:Report)
WHERE metric.name CONTAINS $indicator
  AND ($include_masked OR NOT metric.masked)
OPTIONAL MATCH (entity)-[:MEASURED_BY]->(metric)
WITH metric, report, collect(entity.name) AS measures
RETURN metric.name AS indicator,
       metric.value AS value,
       metric.numeric AS numeric,
       metric.unit AS unit,
       metric.masked AS masked,
       metric.comparison AS comparison,
       measures,
       report.source AS report
ORDER BY unit, numeric DESC, indicator, report
LIMIT $limit
