-- vcm schema, version 20: single sign-on through an OpenID Connect provider. A user signed in by the provider is
-- found again by its issuer and subject (never by name); its tenant and role are set from its groups at every
-- sign-in. `vcm login --web` gets its API token for a one-time code the manager hands to the CLI's loopback address,
-- bound to the SHA-256 of a verifier only the CLI holds; the code is kept as a hash and taken once.
ALTER TABLE users ADD COLUMN oidc_issuer TEXT;
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_oidc ON users (oidc_issuer, oidc_subject);

CREATE TABLE cli_codes (
    hash       TEXT   PRIMARY KEY,
    user_id    TEXT   NOT NULL,
    challenge  TEXT   NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
