-- The message showing an export's progress, so a resumed export (after a restart, or on another instance) edits it
-- instead of starting a new one.
ALTER TABLE pending_exports ADD COLUMN progress_message TEXT;
