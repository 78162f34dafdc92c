#!/usr/bin/env bash
# `make restore FILE=var/backups/portal-….dump`: restores a dump of `make backup` into an EMPTY database
# (DATABASE_URL's; created if missing, refused if it has tables), applies any newer migrations, then
# rebuilds every search index from it. Stop the web, worker and beat first; start them after.
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:?usage: make restore FILE=var/backups/portal-….dump}
[ -f "$FILE" ] || { echo "No dump at $FILE" >&2; exit 1; }
DATABASE_URL=${DATABASE_URL:-postgres://portal:portal@127.0.0.1:5432/portal}
DATABASE=${DATABASE_URL##*/}; DATABASE=${DATABASE%%\?*}
SERVER=${DATABASE_URL%/*}/postgres
if [ -z "$(psql "$SERVER" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
  psql "$SERVER" -qc "CREATE DATABASE \"$DATABASE\""
fi
TABLES=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
[ "$TABLES" = 0 ] || { echo "$DATABASE is not empty ($TABLES tables): restore into an empty database" >&2; exit 1; }
pg_restore --no-owner --exit-on-error --jobs=2 --dbname="$DATABASE_URL" "$FILE"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py search_rebuild
