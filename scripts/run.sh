#!/usr/bin/env bash
# `make run`'s foreground: web, worker and beat under supervisord (scripts/supervisord.conf), which
# restarts any of them that exits. On Ctrl-C (or `make stop`), supervisord stops the three and exits;
# then the services this checkout started are stopped too, unless another checkout's `make run` still holds
# them (scripts/services.sh hold). A crashed process never gets that far.
set -u
cd "$(dirname "$0")/.."
export PORT=${PORT:-8000}
trap 'scripts/services.sh stop' EXIT
scripts/services.sh hold $$  # another checkout's stop leaves the services running while this one runs
echo $$ > var/run.pid
.venv/bin/supervisord -c scripts/supervisord.conf
