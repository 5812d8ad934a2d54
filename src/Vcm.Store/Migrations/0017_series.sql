-- vcm schema, version 17: recurring reservations. A series keeps its rule, its time zone and the request its
-- occurrences were made from, and the occurrences it could not admit; each occurrence is an ordinary cluster row that
-- names its series. Sites get a limit on the occurrences of one series (null: the default, 100).
CREATE TABLE series (
    id          TEXT   PRIMARY KEY,
    name        TEXT   NOT NULL,
    active_name TEXT   UNIQUE,
    site_id     TEXT   NOT NULL REFERENCES sites (id),
    tenant_id   TEXT   REFERENCES tenants (id),
    created_by  TEXT,
    rule        TEXT   NOT NULL,
    time_zone   TEXT,
    request     TEXT   NOT NULL,
    refused     TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    deleted_ms  BIGINT,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX series_tenant ON series (tenant_id);

ALTER TABLE clusters ADD COLUMN series_id TEXT REFERENCES series (id);
CREATE INDEX clusters_series ON clusters (series_id);

ALTER TABLE sites ADD COLUMN max_occurrences INTEGER;
