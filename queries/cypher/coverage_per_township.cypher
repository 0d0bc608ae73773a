// Coverage per township of a county: villages and deeply poor villages with at least one
// active pairing, and whether the township itself has a partner (two-way coverage).
// @param county: the county's id (its division code, e.g. '520627')
// @param as_of: a date, or null to count every pairing whatever its dates
MATCH (township:Township)-[:PART_OF]->(:Unit {id: $county})
OPTIONAL MATCH (village:Village)-[:PART_OF*1..]->(township)
WITH township, village,
     village IS NOT NULL AND EXISTS {
       MATCH (:Unit)-[p:PAIRED_WITH]->(village)
       WHERE $as_of IS NULL OR ((p.start IS NULL OR p.start <= $as_of) AND (p.end IS NULL OR $as_of <= p.end))
     } AS paired
WITH township,
     count(village) AS villages,
     count(CASE WHEN paired THEN 1 END) AS paired_villages,
     count(CASE WHEN village.poverty = 'deeply_poor' THEN 1 END) AS deeply_poor,
     count(CASE WHEN village.poverty = 'deeply_poor' AND paired THEN 1 END) AS deeply_poor_paired
RETURN township.id AS id, township.name AS name, villages, paired_villages, deeply_poor, deeply_poor_paired,
       EXISTS {
         MATCH (:Unit)-[p:PAIRED_WITH]-(township)
         WHERE $as_of IS NULL OR ((p.start IS NULL OR p.start <= $as_of) AND (p.end IS NULL OR $as_of <= p.end))
       } AS township_paired
ORDER BY id
