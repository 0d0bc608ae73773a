// Partner load per helper: how many active pairings each helper unit carries, and with
// how many distinct helped units, busiest first.
// @param as_of: a date, or null to count every pairing whatever its dates
// @param level: one pairing level ('village', 'township'...), or null for all levels
MATCH (helper:Unit)-[p:PAIRED_WITH]->(helped:Unit)
WHERE ($as_of IS NULL OR ((p.start IS NULL OR p.start <= $as_of) AND (p.end IS NULL OR $as_of <= p.end)))
  AND ($level IS NULL OR p.level = $level)
RETURN helper.id AS id, helper.name AS name, helper.kind AS kind,
       count(p) AS pairings, count(DISTINCT helped) AS partners
ORDER BY pairings DESC, id
