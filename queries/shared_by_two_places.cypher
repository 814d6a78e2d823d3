// title: What two places share
// question_zh: 两个地方共同开展了哪些举措？各自的报告怎么说？
// question_en: Which initiatives do two places both run, and what does each one's report say of them?
// param place_a: ""  (part of the first place's name or of its report's file name; empty for every place)
// param place_b: ""  (part of the second place's name or of its report's file name; empty for every place)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: place_a, place_b, initiative, kind, domain, evidence_a, evidence_b
MATCH (report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
MATCH (report)<-[:MENTIONED_IN*0..1]-(instance)-[link:INSTANCE_OF]->(concept:Concept)
WHERE concept.kind <> 'body'
WITH concept,
     CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS place,
     [i IN range(0, size(coalesce(link.evidence_report, [])) - 1)
      WHERE link.evidence_report[i] = report.id | link.evidence_text[i]] AS sentences
WITH concept, place, collect(sentences) AS found
WITH concept, place, reduce(kept = [], text IN reduce(all = [], sentences IN found | all + sentences) |
                            CASE WHEN text IN kept THEN kept ELSE kept + [text] END) AS evidence
WITH concept, collect({place: place, evidence: evidence}) AS runs
UNWIND runs AS a
UNWIND runs AS b
WITH concept, a, b
WHERE a.place < b.place
  AND ((a.place CONTAINS $place_a AND b.place CONTAINS $place_b)
    OR (a.place CONTAINS $place_b AND b.place CONTAINS $place_a))
RETURN a.place AS place_a,
       b.place AS place_b,
       concept.name AS initiative,
       concept.kind AS kind,
       coalesce(concept.domain, '') AS domain,
       a.evidence AS evidence_a,
       b.evidence AS evidence_b
ORDER BY place_a, place_b, domain, initiative
LIMIT $limit
