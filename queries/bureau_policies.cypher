// title: Policies issued per bureau
// question_zh: 每个机关出台（制定、印发）了哪些政策制度？
// question_en: Which policies has each bureau issued, and how many?
// param bureau: ""  (part of the bureau's name; empty for every bureau)
// param limit: 100  (the most rows to return; edukg query run --all for every row)
// columns: bureau, jurisdiction, policy_count, policies
MATCH (bureau:Bureau)-[:RESPONSIBLE_FOR]->(policy:Policy)
WHERE bureau.name CONTAINS $bureau
WITH bureau, collect(DISTINCT policy.name) AS policies
RETURN bureau.name AS bureau,
       bureau.jurisdiction AS jurisdiction,
       size(policies) AS policy_count,
       policies
ORDER BY policy_count DESC, bureau, jurisdiction
LIMIT $limit
