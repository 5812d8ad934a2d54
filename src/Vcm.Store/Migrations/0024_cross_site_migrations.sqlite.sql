-- vcm schema, version 24: migrations across sites (issue 13, item 2). A node moved to another site has no host
-- there that this site knows: at the home, a cross-site migration names the site it goes to (to_site, to_host_id
-- NULL) and, once the peer placed it, that site's host (remote_host); at the peer, the arrival names the site it
-- comes from (from_site, from_host_id NULL), keeps the node as its home assigned it (arrival, JSON), and prepared_ms
-- says when its receiver and relay were ready, receiver_image over which image version (NAME@VERSION) the receiver's
-- disk is (the source refuses another: only the top of its overlay moves). SQLite cannot drop NOT NULL in place: the table is made again.
CREATE TABLE migrations_v24 (
    id             TEXT    PRIMARY KEY,
    cluster_id     TEXT    NOT NULL REFERENCES clusters (id),
    node           TEXT    NOT NULL,
    from_host_id   TEXT    REFERENCES hosts (id),
    to_host_id     TEXT    REFERENCES hosts (id),
    state          TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    requested_by   TEXT,
    requested_ms   BIGINT  NOT NULL,
    started_ms     BIGINT,
    ended_ms       BIGINT,
    total_ms       BIGINT,
    downtime_ms    BIGINT,
    memory_bytes   BIGINT,
    disk_bytes     BIGINT,
    error          TEXT,
    claim_id       TEXT,
    version        BIGINT  NOT NULL,
    from_site      TEXT,
    to_site        TEXT,
    remote_host    TEXT,
    arrival        TEXT,
    prepared_ms    BIGINT,
    receiver_image TEXT
);
INSERT INTO migrations_v24 (id, cluster_id, node, from_host_id, to_host_id, state, reason, requested_by, requested_ms, started_ms,
    ended_ms, total_ms, downtime_ms, memory_bytes, disk_bytes, error, claim_id, version)
SELECT id, cluster_id, node, from_host_id, to_host_id, state, reason, requested_by, requested_ms, started_ms,
    ended_ms, total_ms, downtime_ms, memory_bytes, disk_bytes, error, claim_id, version FROM migrations;
DROP TABLE migrations;
ALTER TABLE migrations_v24 RENAME TO migrations;
CREATE UNIQUE INDEX ux_migrations_active_node ON migrations (cluster_id, node) WHERE state IN ('pending', 'moved', 'aborting');
CREATE INDEX ix_migrations_cluster ON migrations (cluster_id, requested_ms);
CREATE INDEX ix_migrations_hosts ON migrations (from_host_id, to_host_id);
