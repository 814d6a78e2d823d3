// title: Initiatives by year
// question_zh: 各年份的报告提到了哪些举措？各有多少地方、多少份报告？
// question_en: Which initiatives do the reports of each year state, in how many places and reports?
// param initiative: ""  (part of the initiative's Chinese or English name; empty for every initiative)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: year, initiative, kind, domain, place_count, report_count, places
MATCH (report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
WHERE report.year IS NOT NULL
MATCH (report)<-[:MENTIONED_IN*0..1]-(instance)-[:INSTANCE_OF]->(concept:Concept)
WHERE concept.kind <> 'body'
  AND (concept.name CONTAINS $initiative OR coalesce(concept.name_en, '') CONTAINS $initiative)
WITH report.year AS year, concept, report,
     CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS place
WITH year, concept, collect(DISTINCT place) AS places, count(DISTINCT report) AS report_count
RETURN year,
       concept.name AS initiative,
       concept.kind AS kind,
       coalesce(concept.domain, '') AS domain,
       size(places) AS place_count,
       report_count,
       places
ORDER BY year, place_count DESC, initiative
LIMIT $limit
