CREATE TABLE running_turns (
  user_key TEXT PRIMARY KEY,
  user_platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT,
  user_locale TEXT,
  conv_platform TEXT NOT NULL,
  conv_id TEXT NOT NULL,
  conv_group INTEGER NOT NULL,
  started_at BIGINT NOT NULL
);
