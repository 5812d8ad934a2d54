-- vcm schema, version 1. Written to run unchanged on SQLite and PostgreSQL.
-- Times are milliseconds since the Unix epoch (UTC); ids are 32 hex digits; every mutable row has a version
-- that each update increments (optimistic concurrency).

CREATE TABLE sites (
    id               TEXT    PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    url              TEXT,
    is_local         BOOLEAN NOT NULL,
    vni_first        INTEGER NOT NULL,
    vni_last         INTEGER NOT NULL,
    calendar_version BIGINT  NOT NULL,
    version          BIGINT  NOT NULL
);

CREATE TABLE agents (
    id           TEXT   PRIMARY KEY,
    site_id      TEXT   NOT NULL REFERENCES sites (id),
    url          TEXT   NOT NULL,
    key          TEXT   NOT NULL,
    joined_ms    BIGINT NOT NULL,
    heartbeat_ms BIGINT NOT NULL,
    version      BIGINT NOT NULL
);

CREATE TABLE hosts (
    id           TEXT    PRIMARY KEY,
    site_id      TEXT    NOT NULL REFERENCES sites (id),
    agent_id     TEXT    NOT NULL REFERENCES agents (id),
    name         TEXT    NOT NULL,
    roles        INTEGER NOT NULL,
    cpus         BIGINT  NOT NULL,
    memory_mb    BIGINT  NOT NULL,
    disk_mb      BIGINT  NOT NULL,
    kvm          BOOLEAN NOT NULL,
    address      TEXT    NOT NULL,
    driver       TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    heartbeat_ms BIGINT  NOT NULL,
    version      BIGINT  NOT NULL,
    UNIQUE (site_id, name)
);

CREATE TABLE clusters (
    id                    TEXT    PRIMARY KEY,
    name                  TEXT    NOT NULL,
    active_name           TEXT    UNIQUE,
    site_id               TEXT    NOT NULL REFERENCES sites (id),
    spec                  TEXT    NOT NULL,
    phase                 TEXT    NOT NULL,
    reason                TEXT,
    start_ms              BIGINT  NOT NULL,
    end_ms                BIGINT  NOT NULL,
    created_ms            BIGINT  NOT NULL,
    updated_ms            BIGINT  NOT NULL,
    deletion_requested_ms BIGINT,
    generation            BIGINT  NOT NULL,
    observed_generation   BIGINT  NOT NULL,
    nodes_total           INTEGER NOT NULL,
    nodes_ready           INTEGER NOT NULL,
    subnet                TEXT    NOT NULL,
    vni                   INTEGER,
    active_vni            INTEGER,
    gateway_host_id       TEXT,
    storage_host_id       TEXT,
    attempts              INTEGER NOT NULL,
    phase_since_ms        BIGINT  NOT NULL,
    next_reconcile_ms     BIGINT,
    lease_owner           TEXT,
    lease_expires_ms      BIGINT,
    idempotency_key       TEXT    UNIQUE,
    version               BIGINT  NOT NULL
);
CREATE UNIQUE INDEX ix_clusters_active_vni ON clusters (site_id, active_vni);
CREATE INDEX ix_clusters_due ON clusters (next_reconcile_ms);
CREATE INDEX ix_clusters_name ON clusters (name);

CREATE TABLE nodes (
    id         TEXT    PRIMARY KEY,
    cluster_id TEXT    NOT NULL REFERENCES clusters (id),
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    idx        INTEGER NOT NULL,
    host_id    TEXT    NOT NULL REFERENCES hosts (id),
    site       TEXT    NOT NULL,
    mac        TEXT    NOT NULL,
    ip         TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    detail     TEXT,
    version    BIGINT  NOT NULL,
    UNIQUE (cluster_id, name)
);
CREATE INDEX ix_nodes_host ON nodes (host_id);

CREATE TABLE claims (
    id         TEXT   PRIMARY KEY,
    cluster_id TEXT   NOT NULL REFERENCES clusters (id),
    host_id    TEXT   NOT NULL REFERENCES hosts (id),
    start_ms   BIGINT NOT NULL,
    end_ms     BIGINT NOT NULL,
    cpus       BIGINT NOT NULL,
    memory_mb  BIGINT NOT NULL,
    disk_mb    BIGINT NOT NULL
);
CREATE INDEX ix_claims_end ON claims (end_ms);
CREATE INDEX ix_claims_cluster ON claims (cluster_id);

CREATE TABLE events (
    id         TEXT   PRIMARY KEY,
    cluster_id TEXT   NOT NULL REFERENCES clusters (id),
    at_ms      BIGINT NOT NULL,
    type       TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    message    TEXT   NOT NULL,
    source     TEXT   NOT NULL
);
CREATE INDEX ix_events_cluster ON events (cluster_id, at_ms);

CREATE TABLE tokens (
    id         TEXT   PRIMARY KEY,
    kind       TEXT   NOT NULL,
    hash       TEXT   NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT
);

CREATE TABLE images (
    name        TEXT PRIMARY KEY,
    description TEXT NOT NULL
);
INSERT INTO images (name, description) VALUES ('micro', 'tiny initramfs guest: Debian kernel, busybox, SSH server');
INSERT INTO images (name, description) VALUES ('debian-12', 'Debian 12 cloud image');
