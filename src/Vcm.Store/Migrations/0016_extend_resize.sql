-- vcm schema, version 16: extending and resizing admitted clusters. The site's limit on how many times one cluster
-- may be extended (null: no limit), and how many times each cluster was.
ALTER TABLE sites ADD COLUMN max_extensions INTEGER;
ALTER TABLE clusters ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
