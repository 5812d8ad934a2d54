-- vcm schema, version 10: the SHA-256 of the canonical create request kept with its Idempotency-Key, so that the
-- key reused with another request is refused (422) instead of answered with the first cluster — across restarts
-- and managers. Null for clusters admitted before, and for parts (which peers name by the home's cluster id).
ALTER TABLE clusters ADD COLUMN idempotency_hash TEXT;
