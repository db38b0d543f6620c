-- (Version 2 sealed the tokens older versions kept in plain text: the store does that itself at every start.)
CREATE TABLE handled_messages (
  platform TEXT NOT NULL,
  message_id TEXT NOT NULL,
  handled_at BIGINT NOT NULL,
  PRIMARY KEY (platform, message_id)
);
CREATE INDEX handled_messages_at ON handled_messages (handled_at);
