-- One schema for both engines (SQLite and PostgreSQL): only types and statements both understand.
-- Times are epoch milliseconds. Tokens are sealed by the application (AES-GCM) before they are written.
CREATE TABLE identities (
  user_key TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  token TEXT,
  token_expires_at BIGINT,
  task_id TEXT,
  session_id TEXT,
  bind_id TEXT,
  language TEXT,
  updated_at BIGINT NOT NULL
);

CREATE TABLE pending_exports (
  render_id TEXT PRIMARY KEY,
  user_platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT,
  user_locale TEXT,
  conv_platform TEXT NOT NULL,
  conv_id TEXT NOT NULL,
  conv_group INTEGER NOT NULL,
  task_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  submitted_at BIGINT NOT NULL
);
