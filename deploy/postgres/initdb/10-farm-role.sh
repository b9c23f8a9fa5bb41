#!/usr/bin/env bash
# Runs once, when the official Postgres image initialises an empty volume
# (/docker-entrypoint-initdb.d). Creates the farm's own role, without superuser,
# role or database creation rights, and the database it owns. The manager
# connects as `farm`, never as `postgres`.
set -euo pipefail
: "${FARM_DB_PASSWORD:?FARM_DB_PASSWORD is not set (run npm run secrets)}"

# The password travels as a psql variable quoted by psql (:'...'), never
# spliced into SQL by the shell: the here-document is quoted.
psql --no-psqlrc --set=ON_ERROR_STOP=1 --username="${POSTGRES_USER:-postgres}" --dbname=postgres \
  --set=farm_password="$FARM_DB_PASSWORD" <<'SQL'
CREATE ROLE farm LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'farm_password';
CREATE DATABASE farm OWNER farm;
REVOKE ALL ON DATABASE farm FROM PUBLIC;
SQL
