// title: The PART_OF tree under an initiative
// question_zh: 某工程项目、专项活动或机关下面包含哪些组成部分（任意层级）？
// question_en: What are the parts of a programme, campaign or body, at any depth?
// param root: ""  (the name of the programme, campaign or body at the top, or part of it; empty for every top-level one)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: root, root_type, depth, part, type, parent, reports
MATCH path = (part)-[:PART_OF*1..]->(root)
WHERE ($root = '' AND NOT (root)-[:PART_OF]->())
   OR ($root <> '' AND root.name CONTAINS $root)
RETURN root.name AS root,
       labels(root)[0] AS root_type,
       length(path) AS depth,
       part.name AS part,
       labels(part)[0] AS type,
       nodes(path)[1].name AS parent,
       [(part)-[:MENTIONED_IN]->(report:Report) | report.source] AS reports
ORDER BY root, depth, parent, part
LIMIT $limit
