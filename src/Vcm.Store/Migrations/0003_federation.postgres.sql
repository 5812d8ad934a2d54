-- vcm schema, version 3 (PostgreSQL): sites that federate.
-- Nodes of a cluster may live at another site: host_id becomes optional, remote_host names the peer's host.
ALTER TABLE nodes ALTER COLUMN host_id DROP NOT NULL;
ALTER TABLE nodes ADD COLUMN remote_host TEXT;
