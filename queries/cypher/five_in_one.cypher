// The five-in-one of a helper–helped pair: the pairings between the two units and
// everything below them (departments, towns, villages, enterprises, parks...), per level.
// @param helper: the helper side's top unit id (e.g. Zhangjiagang, '320582')
// @param helped: the helped side's top unit id (e.g. Yanhe, '520627')
// @param as_of: a date, or null to count every pairing whatever its dates
MATCH (a:Unit)-[p:PAIRED_WITH]->(b:Unit)
WHERE ($as_of IS NULL OR ((p.start IS NULL OR p.start <= $as_of) AND (p.end IS NULL OR $as_of <= p.end)))
  AND (a.id = $helper OR EXISTS { (a)-[:PART_OF*1..]->(:Unit {id: $helper}) })
  AND (b.id = $helped OR EXISTS { (b)-[:PART_OF*1..]->(:Unit {id: $helped}) })
RETURN p.level AS level,
       count(p) AS pairings,
       count(DISTINCT a) AS helpers,
       count(DISTINCT b) AS helped
ORDER BY level
