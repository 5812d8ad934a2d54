-- vcm schema, version 5 (SQLite): one spec shape, conditions, VPN ports in their own columns.

-- A cluster's conditions besides its phase (JSON list; e.g. Failing: what its controller cannot do, since when).
ALTER TABLE clusters ADD COLUMN conditions TEXT NOT NULL DEFAULT '[]';

-- The spec column takes the one shape of a spec: the create request's names and syntax (memory "512M", start as
-- an ISO 8601 time …) with the name, window and subnet in it. Version 4 kept sizes in MiB and rates in Mbit/s.
UPDATE clusters SET spec = json_object(
    'name', name,
    'workers', json_extract(spec, '$.workers'),
    'head', json(CASE WHEN json_extract(spec, '$.head') THEN 'true' ELSE 'false' END),
    'cpus', json_extract(spec, '$.cpus'),
    'memory', json_extract(spec, '$.memoryMb') || 'M',
    'disk', json_extract(spec, '$.diskMb') || 'M',
    'shared', json_extract(spec, '$.sharedMb') || 'M',
    'image', json_extract(spec, '$.image'),
    'packages', json(COALESCE(json_extract(spec, '$.packages'), '[]')),
    'sshKeys', json(COALESCE(json_extract(spec, '$.sshKeys'), '[]')),
    'start', strftime('%Y-%m-%dT%H:%M:%S', start_ms / 1000, 'unixepoch') || '.' || printf('%03d', start_ms % 1000) || 'Z',
    'end', strftime('%Y-%m-%dT%H:%M:%S', end_ms / 1000, 'unixepoch') || '.' || printf('%03d', end_ms % 1000) || 'Z',
    'sites', json(COALESCE(json_extract(spec, '$.sites'), '[]')),
    'policy', json_extract(spec, '$.policy'),
    'subnet', subnet,
    'wanRate', json_extract(spec, '$.wanRateMbit') || 'M')
WHERE json_extract(spec, '$.memoryMb') IS NOT NULL;

-- A part built here for another site's cluster: the VPN client end the home gave (was inside part_spec with the
-- port), and the port of that end while the part is live, unique per site.
ALTER TABLE clusters RENAME COLUMN part_spec TO part_vpn;
ALTER TABLE clusters ADD COLUMN vpn_port INTEGER;
UPDATE clusters SET vpn_port = CASE WHEN active_name IS NOT NULL THEN json_extract(part_vpn, '$.clientPort') END,
                    part_vpn = json_extract(part_vpn, '$.vpn')
WHERE part_vpn IS NOT NULL;
CREATE UNIQUE INDEX ix_clusters_vpn_port ON clusters (site_id, vpn_port);

-- At the home: each part's server end port while the part is live (unique), and the peer's client end port.
ALTER TABLE cluster_parts ADD COLUMN vpn_port INTEGER;
ALTER TABLE cluster_parts ADD COLUMN peer_vpn_port INTEGER;
UPDATE cluster_parts SET vpn_port = CASE WHEN state <> 'released' THEN json_extract(vpn, '$.port') END,
                         peer_vpn_port = json_extract(vpn, '$.clientPort'),
                         vpn = json_extract(vpn, '$.keys');
CREATE UNIQUE INDEX ix_cluster_parts_vpn_port ON cluster_parts (vpn_port);
