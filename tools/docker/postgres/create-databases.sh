#!/bin/bash
# Runs once, when the postgres container initialises an empty data volume
# (/docker-entrypoint-initdb.d). Creates one database per service, named in
# HELPDESK_DATABASES (docker-compose.yml fills it from gateway/services.json),
# owned by POSTGRES_USER. Safe to run again: existing databases are kept.
set -euo pipefail

for database in ${HELPDESK_DATABASES:-}; do
  if [[ ! "$database" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "create-databases: refusing odd database name '$database'" >&2
    exit 1
  fi
  exists=$(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-postgres}" -Atc \
    "SELECT 1 FROM pg_database WHERE datname = '$database'")
  if [[ "$exists" == "1" ]]; then
    echo "create-databases: $database exists"
  else
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-postgres}" -c \
      "CREATE DATABASE \"$database\" OWNER \"$POSTGRES_USER\""
    echo "create-databases: created $database"
  fi
done
