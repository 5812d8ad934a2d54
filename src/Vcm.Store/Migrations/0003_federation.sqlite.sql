-- vcm schema, version 3 (SQLite): sites that federate.
-- Nodes of a cluster may live at another site: host_id becomes optional, remote_host names the peer's host.
CREATE TABLE nodes_v3 (
    id                   TEXT    PRIMARY KEY,
    cluster_id           TEXT    NOT NULL REFERENCES clusters (id),
    name                 TEXT    NOT NULL,
    role                 TEXT    NOT NULL,
    idx                  INTEGER NOT NULL,
    host_id              TEXT    REFERENCES hosts (id),
    remote_host          TEXT,
    site                 TEXT    NOT NULL,
    mac                  TEXT    NOT NULL,
    ip                   TEXT    NOT NULL,
    state                TEXT    NOT NULL,
    detail               TEXT,
    version              BIGINT  NOT NULL,
    token                TEXT,
    ssh_port             INTEGER,
    host_key             TEXT,
    host_key_fingerprint TEXT,
    booted_ms            BIGINT,
    UNIQUE (cluster_id, name)
);
INSERT INTO nodes_v3 (id, cluster_id, name, role, idx, host_id, remote_host, site, mac, ip, state, detail, version, token, ssh_port, host_key, host_key_fingerprint, booted_ms)
    SELECT id, cluster_id, name, role, idx, host_id, NULL, site, mac, ip, state, detail, version, token, ssh_port, host_key, host_key_fingerprint, booted_ms FROM nodes;
DROP TABLE nodes;
ALTER TABLE nodes_v3 RENAME TO nodes;
CREATE INDEX ix_nodes_host ON nodes (host_id);
