// title: Institutions involved in each programme
// question_zh: 每个工程项目涉及哪些学校、高校或其他机构？
// question_en: Which schools, universities and other institutions does each programme (or any of its parts) involve, by a relation or by being named in the same sentence?
// param programme: ""  (part of the programme's name; empty for every programme)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: programme, institution, how, reports
MATCH (programme:Programme)
WHERE programme.name CONTAINS $programme
MATCH (programme)<-[:PART_OF*0..]-(item)
OPTIONAL MATCH (item)--(linked:Institution)
WITH programme, item, collect(linked) AS linked
OPTIONAL MATCH (item)-[:MENTIONED_IN]->(:Report)<-[:MENTIONED_IN]-(near:Institution)
WITH programme, item, linked, collect(near) AS near
UNWIND linked + near AS institution
WITH DISTINCT programme, item, institution
WHERE institution <> item
OPTIONAL MATCH (item)-[link]-(institution)
WITH programme, institution, link,
     coalesce(item.mentions_report, []) AS item_reports,
     coalesce(item.mentions_sentence, []) AS item_sentences,
     coalesce(institution.mentions_report, []) AS institution_reports,
     coalesce(institution.mentions_sentence, []) AS institution_sentences
WITH programme, institution, link,
     [k IN range(0, size(item_reports) - 1)
       WHERE any(l IN range(0, size(institution_reports) - 1)
                 WHERE institution_reports[l] = item_reports[k]
                   AND institution_sentences[l] = item_sentences[k])
       | item_reports[k]] AS sentence_reports
WHERE link IS NOT NULL OR size(sentence_reports) > 0
WITH programme, institution,
     collect(DISTINCT CASE WHEN link IS NULL THEN 'same sentence' ELSE type(link) END) AS how,
     collect(coalesce(link.reports, []) + sentence_reports) AS report_lists
UNWIND reduce(ids = [], list IN report_lists | ids + list) AS report_id
WITH DISTINCT programme, institution, how, report_id
MATCH (report:Report {id: report_id})
RETURN programme.name AS programme,
       institution.name AS institution,
       how,
       collect(report.source) AS reports
ORDER BY programme, institution
LIMIT $limit
