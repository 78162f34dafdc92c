#!/usr/bin/env bash
# `make run`'s foreground: web, worker and beat under honcho. On Ctrl-C (or `make stop`), honcho
# stops the three, then the services this session started are stopped too.
set -u
cd "$(dirname "$0")/.."
trap 'scripts/services.sh stop' EXIT
echo $$ > var/run.pid
.venv/bin/honcho start -f Procfile
