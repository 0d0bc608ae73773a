// The pairings of a unit at every level: its own, and those of each unit above it
// (a village's, its township's, its county's...), nearest first.
// @param unit: the unit's id
// @param as_of: a date, or null to list every pairing whatever its dates
MATCH path = (:Unit {id: $unit})-[:PART_OF*0..]->(holder:Unit)
MATCH (holder)-[p:PAIRED_WITH]-(partner:Unit)
WHERE $as_of IS NULL OR ((p.start IS NULL OR p.start <= $as_of) AND (p.end IS NULL OR $as_of <= p.end))
RETURN length(path) AS depth,
       holder.id AS unit_id, holder.name AS unit, holder.kind AS unit_kind,
       CASE WHEN startNode(p) = holder THEN 'helper' ELSE 'helped' END AS role,
       partner.id AS partner_id, partner.name AS partner,
       p.id AS pairing_id, p.level AS level, p.mode AS mode, p.start AS start, p.end AS end
ORDER BY depth, level, pairing_id
