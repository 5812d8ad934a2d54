-- vcm schema, version 15: limits the provider sets on reservations at this site — the longest lease, and how far ahead
-- a reservation may start — enforced at admission. Null: no limit.
ALTER TABLE sites ADD COLUMN max_lease_ms BIGINT;
ALTER TABLE sites ADD COLUMN max_advance_ms BIGINT;
