// title: Places that run an initiative
// question_zh: 哪些地方开展了某项举措（如“双减”）？各在哪些报告、哪些句子里说到？
// question_en: Which places run an initiative (e.g. 双减), in which reports, and which sentences say so?
// param initiative: 双减  (part of the initiative's Chinese or English name, or of a name reports give it)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: initiative, kind, domain, province, place, reports, evidence
MATCH (report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
MATCH (report)<-[:MENTIONED_IN*0..1]-(instance)-[link:INSTANCE_OF]->(concept:Concept)
WHERE concept.kind <> 'body'
  AND (concept.name CONTAINS $initiative OR coalesce(concept.name_en, '') CONTAINS $initiative
       OR any(alias IN coalesce(concept.aliases, []) WHERE alias CONTAINS $initiative))
WITH concept, report,
     CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS place,
     [i IN range(0, size(coalesce(link.evidence_report, [])) - 1)
      WHERE link.evidence_report[i] = report.id | link.evidence_text[i]] AS sentences
WITH concept, place, collect(DISTINCT report.source) AS reports,
     collect(DISTINCT coalesce(report.province, '')) AS provinces, collect(sentences) AS found
RETURN concept.name AS initiative,
       concept.kind AS kind,
       coalesce(concept.domain, '') AS domain,
       provinces[0] AS province,
       place,
       reports,
       reduce(kept = [], text IN reduce(all = [], sentences IN found | all + sentences) |
              CASE WHEN text IN kept THEN kept ELSE kept + [text] END) AS evidence
ORDER BY initiative, province, place
LIMIT $limit
