-- vcm schema, version 23: a node's SSH host key made by the manager at admission (docs/guest-protocol.md, "The
-- node's host key"): the private half, encrypted with the site's key like the node's token, so that a node built
-- again elsewhere answers with the same key. Null for nodes admitted before (their guests make their own).
ALTER TABLE nodes ADD COLUMN host_key_private TEXT;
