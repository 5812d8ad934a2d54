-- vcm schema, version 22: redundant WAN paths between sites. A gateway host with several WAN links reports every
-- address, in path order (the k-th address of each side's gateway makes the k-th path of a cluster's VPN); a part's
-- row keeps every address of the peer's gateway host likewise. Comma-separated; NULL where there is at most one
-- (wan_address and gateway_wan hold the first, as before).
ALTER TABLE hosts ADD COLUMN wan_addresses TEXT;
ALTER TABLE cluster_parts ADD COLUMN gateway_wans TEXT;
