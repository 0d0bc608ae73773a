// Deeply poor villages of a county that have no active pairing on a day.
// @param county: the county's id (its division code, e.g. '520627')
// @param as_of: a date (date('2019-12-31')), or null to count every pairing whatever its dates
MATCH (village:Village {poverty: 'deeply_poor'})-[:PART_OF*1..]->(:Unit {id: $county})
WHERE ($as_of IS NULL
       OR ((village.valid_from IS NULL OR village.valid_from <= $as_of)
           AND (village.valid_to IS NULL OR $as_of <= village.valid_to)))
  AND NOT EXISTS {
    MATCH (:Unit)-[p:PAIRED_WITH]->(village)
    WHERE $as_of IS NULL OR ((p.start IS NULL OR p.start <= $as_of) AND (p.end IS NULL OR $as_of <= p.end))
  }
OPTIONAL MATCH (village)-[:PART_OF]->(township:Township)
RETURN village.id AS id, village.name AS name, township.id AS township_id, township.name AS township
ORDER BY id
