-- Credits each user spent per UTC day of the operator's shared token (the daily budget, BOT_DAILY_CREDITS):
-- shared by every instance, kept across restarts.
CREATE TABLE credit_spend (
  user_key TEXT NOT NULL,
  day TEXT NOT NULL,
  credits BIGINT NOT NULL,
  PRIMARY KEY (user_key, day)
);
