-- A user's default video options (/settings), kept across restarts and shared by every instance. The options are
-- kept as the flags a user would type ("--ar 9:16 --quality 720p"), sealed like the tokens (bound to the user key),
-- since "--no" holds the user's own words. One row per user who set any; no row: no defaults.
CREATE TABLE user_defaults (
  user_key TEXT PRIMARY KEY,
  options TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
