// title: An indicator across places
// question_zh: 某类指标（如毛入园率、巩固率、新增学位、教育投入）在各地的数值、单位和年份是多少？
// question_en: What value, unit and year does each place give for a family of indicators (gross preschool enrolment, retention, new school places, spending)?
// param family: 入园率  (part of the family's id or Chinese name, or of the indicator's name; empty for every family)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: family, family_id, province, place, year, indicator, value, numeric, unit, report
MATCH (metric:Metric)-[:MENTIONED_IN]->(report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
WHERE metric.family <> ''
  AND (metric.family CONTAINS $family OR metric.family_name CONTAINS $family OR metric.name CONTAINS $family)
RETURN metric.family_name AS family,
       metric.family AS family_id,
       coalesce(report.province, '') AS province,
       CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS place,
       metric.year AS year,
       metric.name AS indicator,
       metric.value AS value,
       metric.numeric AS numeric,
       metric.unit AS unit,
       report.source AS report
ORDER BY family, province, place, indicator, value, report
LIMIT $limit
