-- When the member proved the address is theirs (a link in a mail). Digests go only to
-- confirmed addresses. Accounts made by administrators count as confirmed.
ALTER TABLE users ADD COLUMN email_confirmed_at TIMESTAMP;

-- Single-use links sent by mail: confirming an address, resetting a password. Only the
-- token's hash is stored, as for API tokens.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
