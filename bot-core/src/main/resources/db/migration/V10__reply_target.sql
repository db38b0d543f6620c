-- Where an export's answers go, so a resumed export (after a restart, or on another instance) answers where it was
-- asked: the forum topic inside the chat, the request it quotes, and the words of the request its caption repeats.
ALTER TABLE pending_exports ADD COLUMN conv_thread TEXT;
ALTER TABLE pending_exports ADD COLUMN reply_to TEXT;
ALTER TABLE pending_exports ADD COLUMN prompt TEXT;
-- The topic of a running turn, so the notice after a restart goes there too.
ALTER TABLE running_turns ADD COLUMN conv_thread TEXT;
