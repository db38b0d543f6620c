-- Several instances share one store: each export job and each running turn is held by one instance (owner) under
-- a lease it renews; another instance takes the work over once the lease has lapsed. Rows written by a version
-- without leases belong to nobody (owner NULL, lease 0): the first instance to look takes them.
ALTER TABLE pending_exports ADD COLUMN owner TEXT;
ALTER TABLE pending_exports ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
-- rendering -> delivering -> delivered (or ended: failed, timed out, nothing to export)
ALTER TABLE pending_exports ADD COLUMN state TEXT NOT NULL DEFAULT 'rendering';
ALTER TABLE pending_exports ADD COLUMN finished_at BIGINT;
ALTER TABLE pending_exports ADD COLUMN conv_guild TEXT;
CREATE INDEX pending_exports_lease ON pending_exports (state, lease_until);

ALTER TABLE running_turns ADD COLUMN owner TEXT;
ALTER TABLE running_turns ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE running_turns ADD COLUMN turn_id TEXT;
ALTER TABLE running_turns ADD COLUMN conv_guild TEXT;

-- a value sealed with the store's key: a start with another key fails at once, naming the setting
CREATE TABLE store_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
