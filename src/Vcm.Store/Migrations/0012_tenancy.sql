-- vcm schema, version 12: tenants own clusters; users belong to a tenant with a role (or are the site's provider,
-- with no tenant); users register SSH public keys; API tokens belong to users. The admin token of `vcm up` becomes
-- the token of the first provider, "admin" (made at start).
CREATE TABLE tenants (
    id               TEXT   PRIMARY KEY,
    name             TEXT   NOT NULL UNIQUE,
    created_ms       BIGINT NOT NULL,
    quota_nodes      BIGINT,
    quota_vcpus      BIGINT,
    quota_memory_mb  BIGINT,
    quota_shared_mb  BIGINT,
    quota_node_hours BIGINT,
    version          BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id         TEXT   PRIMARY KEY,
    name       TEXT   NOT NULL UNIQUE,
    tenant_id  TEXT   REFERENCES tenants (id),
    role       TEXT   NOT NULL,
    created_ms BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX users_tenant ON users (tenant_id);

CREATE TABLE user_keys (
    id          TEXT   PRIMARY KEY,
    user_id     TEXT   NOT NULL REFERENCES users (id),
    name        TEXT   NOT NULL,
    public_key  TEXT   NOT NULL,
    fingerprint TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    UNIQUE (user_id, fingerprint),
    UNIQUE (user_id, name)
);

ALTER TABLE tokens ADD COLUMN user_id TEXT REFERENCES users (id);
ALTER TABLE tokens ADD COLUMN name TEXT;
CREATE INDEX tokens_user ON tokens (user_id);

ALTER TABLE clusters ADD COLUMN tenant_id TEXT;
ALTER TABLE clusters ADD COLUMN created_by TEXT;
CREATE INDEX clusters_tenant ON clusters (tenant_id);
