-- vcm schema, version 19: web sessions. A browser's session is a token of kind 'session' carried in an HttpOnly
-- cookie; one started through an OpenID provider keeps the provider's id token, so that signing out at vcm can end
-- the session at the provider too (its end-session endpoint takes it as id_token_hint).
ALTER TABLE tokens ADD COLUMN id_token TEXT;
