-- vcm schema, version 4: peers, the parts of a cluster at other sites, and parts held for other sites' clusters.

-- Another site's manager: its URL, the key this site presents to it, and the hash of the key it presents here.
CREATE TABLE peers (
    id             TEXT   PRIMARY KEY,
    name           TEXT   NOT NULL UNIQUE,
    url            TEXT   NOT NULL,
    our_key        TEXT   NOT NULL,
    their_key_hash TEXT   NOT NULL,
    added_ms       BIGINT NOT NULL,
    version        BIGINT NOT NULL
);

-- At the home site: each part of a cluster that another site builds.
CREATE TABLE cluster_parts (
    id          TEXT   PRIMARY KEY,
    cluster_id  TEXT   NOT NULL REFERENCES clusters (id),
    site        TEXT   NOT NULL,
    remote_id   TEXT,
    state       TEXT   NOT NULL,
    phase       TEXT,
    reason      TEXT,
    vpn         TEXT   NOT NULL,
    gateway_wan TEXT,
    updated_ms  BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    UNIQUE (cluster_id, site)
);

-- At the site that builds a part: whose cluster it belongs to, how to join its segment, when its home last renewed it.
ALTER TABLE clusters ADD COLUMN home_site TEXT;
ALTER TABLE clusters ADD COLUMN home_cluster_id TEXT;
ALTER TABLE clusters ADD COLUMN part_spec TEXT;
ALTER TABLE clusters ADD COLUMN renewed_ms BIGINT;

-- A gateway host's address on the WAN between sites (VPN ends).
ALTER TABLE hosts ADD COLUMN wan_address TEXT;
