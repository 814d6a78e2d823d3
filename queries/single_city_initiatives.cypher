// title: Initiatives only one city reports
// question_zh: 哪些举措只有一个城市（地区）在开展？
// question_en: Which initiatives does only one city run?
// param city: ""  (part of the city's name or of its report's file name; empty for every city)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: city, type, initiative, concept, bureaus
MATCH (report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
WITH DISTINCT place,
     CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS city
MATCH (place)<-[:LOCATED_IN]-(bureau:Bureau)-[:RESPONSIBLE_FOR]->(initiative)
WHERE initiative:Programme OR initiative:Campaign OR initiative:Policy
OPTIONAL MATCH (initiative)-[:INSTANCE_OF]->(concept:Concept)
WITH coalesce(concept.id, initiative.id) AS key, initiative, concept, city, bureau
WITH key, collect(DISTINCT city) AS cities,
     collect({city: city, type: labels(initiative)[0], initiative: initiative.name,
              concept: concept.name, bureau: bureau.name}) AS runs
WHERE size(cities) = 1 AND cities[0] CONTAINS $city
UNWIND runs AS run
WITH run.city AS city, run.type AS type, run.initiative AS initiative, run.concept AS concept,
     collect(DISTINCT run.bureau) AS bureaus
RETURN city, type, initiative, coalesce(concept, '') AS concept, bureaus
ORDER BY city, type, initiative
LIMIT $limit
