// title: Evidence for a fact
// question_zh: 某条关系（如某机关负责某举措）是哪份报告的哪句话说的？
// question_en: Which sentences of which reports state a fact (a relation between two entities)?
// param source: 市教育局  (the name of the entity the relation starts from, or part of it)
// param target: 主题教育  (the name of the entity the relation points to, or part of it)
// param relation: RESPONSIBLE_FOR  (the relationship type; empty for any)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: source, relation, target, report, sentence, status, text
MATCH (a)-[fact]->(b)
WHERE a.name CONTAINS $source
  AND b.name CONTAINS $target
  AND ($relation = '' OR type(fact) = $relation)
  AND NOT b:Report
UNWIND range(0, size(coalesce(fact.evidence_report, [])) - 1) AS k
WITH a, fact, b, k, fact.evidence_report[k] AS report_id
MATCH (report:Report {id: report_id})
RETURN a.name AS source,
       type(fact) AS relation,
       b.name AS target,
       report.source AS report,
       fact.evidence_sentence[k] AS sentence,
       fact.evidence_status[k] AS status,
       fact.evidence_text[k] AS text
ORDER BY report, sentence, source, relation, target
LIMIT $limit
