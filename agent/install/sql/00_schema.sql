-- The pgposture schema: owned by the installing superuser, closed to PUBLIC.
-- Every statement here must be idempotent: install re-applies the whole
-- script when it upgrades an older installation.
CREATE SCHEMA IF NOT EXISTS pgposture;
REVOKE ALL ON SCHEMA pgposture FROM PUBLIC;

CREATE TABLE IF NOT EXISTS pgposture.installation (
  -- One row: the version of the installed objects.
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version integer NOT NULL,
  agent_role name NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
REVOKE ALL ON pgposture.installation FROM PUBLIC;
