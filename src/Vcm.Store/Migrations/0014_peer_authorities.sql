-- vcm schema, version 14: the CA certificate (PEM) each peer site's manager proves itself with over TLS, pinned when
-- the peers were added: its fingerprint came in the peer token, or the peer presented it with a valid peer token.
-- Null for peers reached over plain HTTP on loopback.
ALTER TABLE peers ADD COLUMN ca_certificate TEXT;
