-- The request behind each delivered result, so the buttons under it ([Again], [Longer]) work on that result after a
-- restart, after /new and on another instance. The prompt and the image reference are sealed like the tokens (bound
-- to their row: result id and user key). Rows older than Results.KEEP (30 days) are pruned by the housekeeping.
CREATE TABLE results (
  result_id TEXT PRIMARY KEY,
  user_key TEXT NOT NULL,
  session_id TEXT NOT NULL,
  prompt TEXT NOT NULL,
  image_ref TEXT,
  created_at BIGINT NOT NULL
);
-- the newest result of a user's project, for the buttons of the video delivered from it
CREATE INDEX results_session ON results (user_key, session_id, created_at);
-- pruning by age
CREATE INDEX results_created ON results (created_at);
