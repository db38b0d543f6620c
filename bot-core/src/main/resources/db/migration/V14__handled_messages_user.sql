-- Whose message each handled one was, so that /forget erases the ids of a user's recent messages too (a Telegram
-- message's id names its chat, which for a private chat is the user). Rows written before this version have none and
-- go with the retention (6 hours).
ALTER TABLE handled_messages ADD COLUMN user_key TEXT;
CREATE INDEX handled_messages_user ON handled_messages (user_key);
