-- Leases are held per instance, not per row: an instance renews one row however much work it holds. Renewing every
-- row (10 000 renders and turns in flight: 20 000 rows and their index entries every 10 s) rewrote megabytes of the
-- log each time and held SQLite's one writer for ~100 ms, which every user's next write waited behind.
-- An export job or a running turn is held while its owner's lease runs; the rows' own lease_until is no longer read.
CREATE TABLE instance_leases (
  instance TEXT PRIMARY KEY,
  lease_until BIGINT NOT NULL
);
-- every owner so far gets a lease row with the latest of its rows' leases, so the work of a running older version
-- is not taken from it before that lease lapses
INSERT INTO instance_leases (instance, lease_until)
  SELECT owner, MAX(lease_until) FROM (
    SELECT owner, lease_until FROM pending_exports WHERE owner IS NOT NULL
    UNION ALL
    SELECT owner, lease_until FROM running_turns WHERE owner IS NOT NULL) AS owners
  GROUP BY owner;
-- finding work that is free to take (owner NULL) without reading every row
CREATE INDEX pending_exports_owner ON pending_exports (owner, state);
CREATE INDEX running_turns_owner ON running_turns (owner);
