// title: Initiatives shared across cities
// question_zh: 哪些国家层面的举措被多个城市（地区）共同开展？分别是哪些城市？
// question_en: Which national initiatives do several cities run, and which cities run each?
// param min_cities: 2  (the least number of cities that run the initiative)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: concept, concept_en, city_count, cities, initiatives
MATCH (report:Report)-[:ISSUED_BY]->(:Bureau)-[:LOCATED_IN]->(place:Jurisdiction)
WITH DISTINCT place,
     CASE WHEN place.masked THEN place.name + ' (' + report.source + ')' ELSE place.name END AS city
MATCH (place)<-[:LOCATED_IN]-(:Bureau)-[:RESPONSIBLE_FOR]->(initiative)-[:INSTANCE_OF]->(concept:Concept)
WHERE concept.kind = 'initiative'
WITH concept, collect(DISTINCT city) AS cities, collect(DISTINCT initiative.name) AS initiatives
WHERE size(cities) >= $min_cities
RETURN concept.name AS concept,
       concept.name_en AS concept_en,
       size(cities) AS city_count,
       cities,
       initiatives
ORDER BY city_count DESC, concept
LIMIT $limit
