// title: Shortest path between two entities
// question_zh: 两个实体之间最短的关联路径是什么？（不经过报告节点）
// question_en: What is the shortest chain of relations between two entities (not passing through report nodes)?
// param source: 区教育局  (the first entity's name or alias)
// param target: 市教育局  (the second entity's name or alias)
// param limit: 10  (the most rows to return; edukg query run --all for every row)
// columns: source, source_type, source_reports, target, target_type, target_reports, hops, path
MATCH (a), (b)
WHERE (a.name = $source OR $source IN a.aliases)
  AND (b.name = $target OR $target IN b.aliases)
  AND a <> b
  AND NOT a:Report AND NOT b:Report
MATCH path = (a)-[:RESPONSIBLE_FOR|PART_OF|MEASURED_BY|LOCATED_IN|ISSUED_BY|INSTANCE_OF*1..8]-(b)
WITH a, b, path
ORDER BY length(path)
WITH a, b, head(collect(path)) AS path
WITH a, b, path, nodes(path) AS hops, relationships(path) AS links
RETURN a.name AS source,
       labels(a)[0] AS source_type,
       [(a)-[:MENTIONED_IN]->(source_report:Report) | source_report.source] AS source_reports,
       b.name AS target,
       labels(b)[0] AS target_type,
       [(b)-[:MENTIONED_IN]->(target_report:Report) | target_report.source] AS target_reports,
       length(path) AS hops,
       reduce(text = a.name, k IN range(0, size(links) - 1) |
         text + CASE WHEN startNode(links[k]) = hops[k]
                     THEN ' -[' + type(links[k]) + ']-> '
                     ELSE ' <-[' + type(links[k]) + ']- ' END + hops[k + 1].name) AS path
ORDER BY hops, source, target
LIMIT $limit
