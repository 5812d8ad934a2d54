-- vcm schema, version 2: what real clusters need.
-- Nodes: the metadata token (the node proves who it is to its gateway), the SSH port on the gateway's external
-- address, the SSH host key it reported, and when its VM was last (re)started (a report older than that is stale).
ALTER TABLE nodes ADD COLUMN token TEXT;
ALTER TABLE nodes ADD COLUMN ssh_port INTEGER;
ALTER TABLE nodes ADD COLUMN host_key TEXT;
ALTER TABLE nodes ADD COLUMN host_key_fingerprint TEXT;
ALTER TABLE nodes ADD COLUMN booted_ms BIGINT;

-- Clusters: the per-cluster admin key vcm keeps beside the tenant's keys, and the gateway's address on the site's
-- external network (held, like the VNI, only while the cluster may hold host resources).
ALTER TABLE clusters ADD COLUMN admin_public_key TEXT;
ALTER TABLE clusters ADD COLUMN admin_private_key TEXT;
ALTER TABLE clusters ADD COLUMN external_ip TEXT;
ALTER TABLE clusters ADD COLUMN active_external_ip TEXT;
CREATE UNIQUE INDEX ix_clusters_active_external_ip ON clusters (site_id, active_external_ip);

-- Sites: the external network gateways NAT to (subnet, router, the bridge on gateway hosts, and in a lab the
-- namespace that is that network), and the pool clusters' default subnets come from.
ALTER TABLE sites ADD COLUMN external_subnet TEXT;
ALTER TABLE sites ADD COLUMN external_router TEXT;
ALTER TABLE sites ADD COLUMN external_bridge TEXT;
ALTER TABLE sites ADD COLUMN external_netns TEXT;
ALTER TABLE sites ADD COLUMN subnet_pool TEXT;
