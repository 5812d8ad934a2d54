-- vcm schema, version 24: migrations across sites (issue 13, item 2). A node moved to another site has no host
-- there that this site knows: at the home, a cross-site migration names the site it goes to (to_site, to_host_id
-- NULL) and, once the peer placed it, that site's host (remote_host); at the peer, the arrival names the site it
-- comes from (from_site, from_host_id NULL), keeps the node as its home assigned it (arrival, JSON), and prepared_ms
-- says when its receiver and relay were ready, receiver_image over which image version (NAME@VERSION) the receiver's
-- disk is (the source refuses another: only the top of its overlay moves).
ALTER TABLE migrations ALTER COLUMN from_host_id DROP NOT NULL;
ALTER TABLE migrations ALTER COLUMN to_host_id DROP NOT NULL;
ALTER TABLE migrations ADD COLUMN from_site TEXT;
ALTER TABLE migrations ADD COLUMN to_site TEXT;
ALTER TABLE migrations ADD COLUMN remote_host TEXT;
ALTER TABLE migrations ADD COLUMN arrival TEXT;
ALTER TABLE migrations ADD COLUMN prepared_ms BIGINT;
ALTER TABLE migrations ADD COLUMN receiver_image TEXT;
