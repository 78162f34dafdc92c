#!/usr/bin/env bash
# `make backup [BACKUP_DIR=…]`: a PostgreSQL dump in custom format (compressed, restored table by table
# with pg_restore) and beside it a manifest: what the dump holds and what it takes to restore it. The
# manifest names the keys the data needs (FIELD_ENCRYPTION_KEYS, FIELD_BLIND_INDEX_KEY) with a short
# fingerprint of each, so the right ones can be found, and never their values: a dump and its keys are
# kept apart (README, "Backups"). Elasticsearch is not backed up: it is rebuilt from the database.
set -euo pipefail
cd "$(dirname "$0")/.."
DATABASE_URL=${DATABASE_URL:-postgres://portal:portal@127.0.0.1:5432/portal}
DIR=${1:-var/backups}
mkdir -p "$DIR"
NAME=portal-$(date -u +%Y%m%dT%H%M%SZ)
pg_dump --format=custom --no-owner --file="$DIR/$NAME.dump" "$DATABASE_URL"
DUMP="$DIR/$NAME.dump" .venv/bin/python - <<'PY' > "$DIR/$NAME.json"
import hashlib, json, os, subprocess

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

dump = os.environ["DUMP"]


def fingerprint(key: str) -> str:  # enough to tell keys apart, nothing to rebuild one from
    return hashlib.sha256(key.encode()).hexdigest()[:12]


latest = {}
for app, name in MigrationRecorder(connection).applied_migrations():
    latest[app] = max(latest.get(app, ""), name)
manifest = {
    "dump": os.path.basename(dump),
    "bytes": os.path.getsize(dump),
    "sha256": hashlib.sha256(open(dump, "rb").read()).hexdigest(),
    "database": connection.settings_dict["NAME"],
    "server": connection.cursor().connection.info.server_version,
    "pg_dump": subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout.strip(),
    "migrations": dict(sorted(latest.items())),
    "keys_needed": {
        "FIELD_ENCRYPTION_KEYS": {
            "why": "decrypts ID numbers, sensitive records and import files; without it they are lost",
            "fingerprints": [fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS],
        },
        "FIELD_BLIND_INDEX_KEY": {
            "why": "finds an ID number registered twice; a different key lets duplicates in",
            "fingerprints": [fingerprint(settings.FIELD_BLIND_INDEX_KEY)],
        },
        "DJANGO_SECRET_KEY": {"why": "signs sessions; another key only signs everyone out", "fingerprints": []},
    },
    "after_restore": "manage.py search_rebuild (make restore runs it)",
}
print(json.dumps(manifest, indent=2, ensure_ascii=False))
PY
echo "$DIR/$NAME.dump"
