// title: The places most alike by initiatives
// question_zh: 哪些地方开展的举措最相似？（共同举措数 / 两地举措总数，即 Jaccard 系数）
// question_en: Which places are most alike by the initiatives they run (shared over all of the two: Jaccard)?
// param place: ""  (part of one of the two places' names or of its report's file name; empty for every place)
// param limit: 20  (how many pairs to list)
// columns: place_a, place_b, shared, total, jaccard, shared_initiatives
MATCH (report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
MATCH (report)<-[:MENTIONED_IN*0..1]-(instance)-[:INSTANCE_OF]->(concept:Concept)
WHERE concept.kind <> 'body'
WITH CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS place,
     concept
WITH place, collect(DISTINCT concept.name) AS initiatives
WITH collect({place: place, initiatives: initiatives}) AS places
UNWIND places AS a
UNWIND places AS b
WITH a, b
WHERE a.place < b.place AND (a.place CONTAINS $place OR b.place CONTAINS $place)
WITH a, b, [name IN a.initiatives WHERE name IN b.initiatives] AS shared
WHERE size(shared) > 0
WITH a, b, shared, size(a.initiatives) + size(b.initiatives) - size(shared) AS total
RETURN a.place AS place_a,
       b.place AS place_b,
       size(shared) AS shared,
       total,
       round(1000.0 * size(shared) / total) / 1000.0 AS jaccard,
       shared AS shared_initiatives
ORDER BY jaccard DESC, shared DESC, place_a, place_b
LIMIT $limit
