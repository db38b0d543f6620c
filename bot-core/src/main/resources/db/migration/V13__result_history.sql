-- /videos, a user's history of results: when each result was delivered and the link to its video, when the backend
-- gave one the delivery trusts (sealed like the prompt, bound to its row). A result not delivered (yet) has neither
-- and is not listed. Kept as long as the result's row (Results.KEEP, 30 days, pruned by the housekeeping).
ALTER TABLE results ADD COLUMN delivered_at BIGINT;
ALTER TABLE results ADD COLUMN video_url TEXT;
-- a user's history, newest delivery first
CREATE INDEX results_history ON results (user_key, delivered_at);
