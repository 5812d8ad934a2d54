-- vcm schema, version 6: what a cluster's nodes boot from, chosen when its build starts: the image asked for, or
-- the package-set layer (IMAGE.pk-HASH in the site's image store) that adds its packages; null before the build.
ALTER TABLE clusters ADD COLUMN layer TEXT;
