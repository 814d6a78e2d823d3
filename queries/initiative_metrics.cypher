// title: Metrics of an initiative
// question_zh: 某举措（或机关、机构）有哪些量化指标？数值、单位是什么，是否脱敏？
// question_en: Which metrics measure an initiative (or a bureau or institution), with their values, units and masked flags?
// param initiative: 市教育局  (the measured entity's name, or part of it)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: entity, type, indicator, value, unit, numeric, masked, comparison, report
MATCH (entity)-[:MEASURED_BY]->(metric:Metric)
WHERE entity.name CONTAINS $initiative
OPTIONAL MATCH (metric)-[:MENTIONED_IN]->(report:Report)
RETURN entity.name AS entity,
       labels(entity)[0] AS type,
       metric.name AS indicator,
       metric.value AS value,
       metric.unit AS unit,
       metric.numeric AS numeric,
       metric.masked AS masked,
       metric.comparison AS comparison,
       report.source AS report
ORDER BY report, entity, indicator, value
LIMIT $limit
