-- vcm schema, version 7: what the cost model of package sets reads and writes.
-- clusters.estimate: the estimated time to Ready of the way chosen for the cluster's packages (JSON), at create and
-- again when its build starts; null for a cluster with no packages.
ALTER TABLE clusters ADD COLUMN estimate TEXT;

-- Every cluster create's package set (kept after the cluster is gone: cache images are made from it).
CREATE TABLE package_requests (
    cluster_id TEXT   PRIMARY KEY,
    image      TEXT   NOT NULL,
    packages   TEXT   NOT NULL,
    at_ms      BIGINT NOT NULL
);
CREATE INDEX ix_package_requests_image ON package_requests (image, at_ms);

-- Every layer build: packages installed, the layer's size, how long it took and how long the cost model said.
CREATE TABLE layer_builds (
    id           TEXT    PRIMARY KEY,
    layer        TEXT    NOT NULL,
    image        TEXT    NOT NULL,
    packages     INTEGER NOT NULL,
    bytes        BIGINT  NOT NULL,
    duration_ms  BIGINT  NOT NULL,
    estimated_ms BIGINT,
    at_ms        BIGINT  NOT NULL
);
CREATE INDEX ix_layer_builds_at ON layer_builds (at_ms);

-- Image files agents fetched from the site's image store: bytes and time, per agent.
CREATE TABLE image_fetches (
    id          TEXT   PRIMARY KEY,
    agent_id    TEXT   NOT NULL,
    file        TEXT   NOT NULL,
    bytes       BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    at_ms       BIGINT NOT NULL
);
CREATE INDEX ix_image_fetches_agent ON image_fetches (agent_id, at_ms);

-- Per image, its cache image: the frequent package set (comma-separated), the layer built for it (null until built),
-- building / ready / failed, and why.
CREATE TABLE cache_images (
    image      TEXT   PRIMARY KEY,
    packages   TEXT   NOT NULL,
    layer      TEXT,
    state      TEXT   NOT NULL,
    reason     TEXT,
    requests   INTEGER NOT NULL,
    updated_ms BIGINT NOT NULL,
    version    BIGINT NOT NULL
);
