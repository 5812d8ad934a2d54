-- vcm schema, version 21: live migrations of nodes between hosts. A row is admitted with the destination's capacity
-- held (its claim, claim_id), then driven by the cluster's reconcile: pending → moved (the node recorded on its new
-- host and the source's claims cut, in one transaction) → completed (the old copy removed); or pending → aborting
-- (the destination's claim freed) → failed (the receiver removed). At most one active migration per node.
CREATE TABLE migrations (
    id             TEXT    PRIMARY KEY,
    cluster_id     TEXT    NOT NULL REFERENCES clusters (id),
    node           TEXT    NOT NULL,
    from_host_id   TEXT    NOT NULL REFERENCES hosts (id),
    to_host_id     TEXT    NOT NULL REFERENCES hosts (id),
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
    version        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX ux_migrations_active_node ON migrations (cluster_id, node) WHERE state IN ('pending', 'moved', 'aborting');
CREATE INDEX ix_migrations_cluster ON migrations (cluster_id, requested_ms);
CREATE INDEX ix_migrations_hosts ON migrations (from_host_id, to_host_id);
