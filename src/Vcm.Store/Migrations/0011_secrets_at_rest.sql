-- vcm schema, version 11: secrets at rest (docs/architecture.md, "Secrets"). Agent keys are encrypted with the site's
-- key, so they are found by their SHA-256 hash; the values themselves are encrypted (and these hashes filled) by the
-- manager's start-up step after the migrations (SecretColumns.EncryptClearAsync), which needs the key.
ALTER TABLE agents ADD COLUMN key_hash TEXT;
CREATE INDEX ix_agents_key_hash ON agents (key_hash);
