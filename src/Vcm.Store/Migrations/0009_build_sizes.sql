-- vcm schema, version 9: what a layer build's packages unpack to (the sum of their Installed-Size, KiB), which the
-- cost model fits build times to besides the number of packages; 0 for builds recorded before.
ALTER TABLE layer_builds ADD COLUMN installed_kib BIGINT NOT NULL DEFAULT 0;
