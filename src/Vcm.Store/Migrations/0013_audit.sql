-- vcm schema, version 13: the audit trail — who did what to which resource, when, from where, and how it ended; rows
-- are only ever added.
CREATE TABLE audit (
    id         TEXT   PRIMARY KEY,
    at_ms      BIGINT NOT NULL,
    actor      TEXT   NOT NULL,
    actor_kind TEXT   NOT NULL,
    tenant_id  TEXT,
    action     TEXT   NOT NULL,
    resource   TEXT,
    address    TEXT,
    status     INTEGER NOT NULL,
    detail     TEXT
);
CREATE INDEX audit_at ON audit (at_ms);
CREATE INDEX audit_tenant_at ON audit (tenant_id, at_ms);
