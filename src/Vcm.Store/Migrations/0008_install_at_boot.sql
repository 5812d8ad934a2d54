-- vcm schema, version 8: install at boot, measured.
-- Every node's install at boot as it reported it with its phone-home: how many packages apt installed, how long it
-- took (updating its lists included), apt's exit code. The cost model fits its install time to the successful ones.
CREATE TABLE install_samples (
    id          TEXT    PRIMARY KEY,
    cluster_id  TEXT    NOT NULL,
    node        TEXT    NOT NULL,
    image       TEXT    NOT NULL,
    packages    INTEGER NOT NULL,
    duration_ms BIGINT  NOT NULL,
    rc          INTEGER NOT NULL,
    at_ms       BIGINT  NOT NULL
);
CREATE INDEX ix_install_samples_at ON install_samples (at_ms);
