// title: People, their posts and what they lead
// question_zh: 报告中提到了哪些人？他们在哪些机关任职，负责哪些工作？
// question_en: Which people do the reports name, in which bodies do they hold posts, and what are they responsible for?
// param person: ""  (part of the person's name; empty for everyone)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: person, bodies, responsible_for, reports
MATCH (person:Person)
WHERE person.name CONTAINS $person
OPTIONAL MATCH (person)-[:PART_OF]->(body)
WITH person, collect(DISTINCT body.name) AS bodies
OPTIONAL MATCH (person)-[:RESPONSIBLE_FOR]->(work)
WITH person, bodies, collect(DISTINCT work.name) AS responsible_for
OPTIONAL MATCH (person)-[:MENTIONED_IN]->(report:Report)
WITH person, bodies, responsible_for, collect(report.source) AS reports
RETURN person.name AS person,
       bodies,
       responsible_for,
       reports
ORDER BY person
LIMIT $limit
