DROP INDEX account_tokens_user;
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN email_confirmed_at;
