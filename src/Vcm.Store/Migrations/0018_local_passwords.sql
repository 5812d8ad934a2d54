-- vcm schema, version 18: local accounts for sites without an identity provider — a user's password, kept only as a
-- salted PBKDF2 hash (ASP.NET Core Identity's format). Null: the user signs in with API tokens only.
ALTER TABLE users ADD COLUMN password_hash TEXT;
