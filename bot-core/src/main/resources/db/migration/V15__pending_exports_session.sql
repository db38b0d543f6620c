-- "Is this project's export running on another instance?" (before every export) looks rows up by session and state.
-- Without this index SQLite answered it from pending_exports_lease (state, lease_until), reading every export under
-- way: at N conversations at once each look-up read up to N rows, N look-ups in all (issue 24, docs/benchmark.md).
CREATE INDEX pending_exports_session ON pending_exports (session_id, state);
