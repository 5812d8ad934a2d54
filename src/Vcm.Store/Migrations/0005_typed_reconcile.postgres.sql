-- vcm schema, version 5 (PostgreSQL): one spec shape, conditions, VPN ports in their own columns.

-- A cluster's conditions besides its phase (JSON list; e.g. Failing: what its controller cannot do, since when).
ALTER TABLE clusters ADD COLUMN conditions TEXT NOT NULL DEFAULT '[]';

-- The spec column takes the one shape of a spec: the create request's names and syntax (memory "512M", start as
-- an ISO 8601 time …) with the name, window and subnet in it. Version 4 kept sizes in MiB and rates in Mbit/s.
UPDATE clusters SET spec = jsonb_strip_nulls(jsonb_build_object(
    'name', name,
    'workers', spec::jsonb -> 'workers',
    'head', spec::jsonb -> 'head',
    'cpus', spec::jsonb -> 'cpus',
    'memory', (spec::jsonb ->> 'memoryMb') || 'M',
    'disk', (spec::jsonb ->> 'diskMb') || 'M',
    'shared', (spec::jsonb ->> 'sharedMb') || 'M',
    'image', spec::jsonb -> 'image',
    'packages', COALESCE(spec::jsonb -> 'packages', '[]'::jsonb),
    'sshKeys', COALESCE(spec::jsonb -> 'sshKeys', '[]'::jsonb),
    'start', to_char(to_timestamp(start_ms / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.' || lpad((start_ms % 1000)::text, 3, '0') || 'Z',
    'end', to_char(to_timestamp(end_ms / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '.' || lpad((end_ms % 1000)::text, 3, '0') || 'Z',
    'sites', COALESCE(spec::jsonb -> 'sites', '[]'::jsonb),
    'policy', spec::jsonb -> 'policy',
    'subnet', subnet,
    'wanRate', (spec::jsonb ->> 'wanRateMbit') || 'M'))::text
WHERE spec::jsonb ? 'memoryMb';

-- A part built here for another site's cluster: the VPN client end the home gave (was inside part_spec with the
-- port), and the port of that end while the part is live, unique per site.
ALTER TABLE clusters RENAME COLUMN part_spec TO part_vpn;
ALTER TABLE clusters ADD COLUMN vpn_port INTEGER;
UPDATE clusters SET vpn_port = CASE WHEN active_name IS NOT NULL THEN (part_vpn::jsonb ->> 'clientPort')::integer END,
                    part_vpn = (part_vpn::jsonb -> 'vpn')::text
WHERE part_vpn IS NOT NULL;
CREATE UNIQUE INDEX ix_clusters_vpn_port ON clusters (site_id, vpn_port);

-- At the home: each part's server end port while the part is live (unique), and the peer's client end port.
ALTER TABLE cluster_parts ADD COLUMN vpn_port INTEGER;
ALTER TABLE cluster_parts ADD COLUMN peer_vpn_port INTEGER;
UPDATE cluster_parts SET vpn_port = CASE WHEN state <> 'released' THEN (vpn::jsonb ->> 'port')::integer END,
                         peer_vpn_port = (vpn::jsonb ->> 'clientPort')::integer,
                         vpn = (vpn::jsonb -> 'keys')::text;
CREATE UNIQUE INDEX ix_cluster_parts_vpn_port ON cluster_parts (vpn_port);
