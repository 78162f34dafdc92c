#!/usr/bin/env bash
# Installs and starts the services the portal stands on, on a Debian/Ubuntu machine:
#   scripts/services.sh install   Debian packages (only those missing)
#   scripts/services.sh start     PostgreSQL, Redis, Elasticsearch on 127.0.0.1, waiting until ready, and the
#                                 local SMS (eSMS), Zalo ZNS and SMTP servers (notifications/devservers.py)
#   scripts/services.sh stop      stops those that this checkout's start started, unless another checkout's
#                                 `make run` still holds them (scripts/run.sh: services.sh hold PID)
# (a service that was already running, say the machine's own PostgreSQL or one another checkout started,
# is left alone: several checkouts on one machine share the services, and one's Ctrl-C stops no one else's)
# Every step is idempotent: a service that already answers is left alone, downloads are cached.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../services.env
source "$ROOT/services.env"

if [ "$(id -u)" = 0 ]; then SUDO=(); STATE=${PORTAL_STATE_DIR:-/var/lib/qt-portal}
else SUDO=(sudo); STATE=${PORTAL_STATE_DIR:-$HOME/.local/share/qt-portal}; fi
CACHE=${PORTAL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qt-portal}
ES_HOME=$STATE/elasticsearch-$ELASTICSEARCH_VERSION
ES_URL=http://127.0.0.1:9200
# chromium: Debian's browser, which the Playwright tests drive headless (tests/browser/).
PACKAGES=(postgresql redis-server maven unzip curl python3-venv procps gettext chromium)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
started() { mkdir -p "$STATE/started" && echo "$ROOT" >"$STATE/started/$1"; }  # by whom, for stop
as_user() { local user=$1; shift; if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else sudo -u "$user" "$@"; fi; }
wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "$what did not become ready within ${seconds}s" >&2; return 1
}

install_packages() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  [ -n "$(java_home)" ] || missing+=(openjdk-21-jdk-headless)
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}"
  fi
}

# Elasticsearch 9 needs Java 21 or newer. These machines carry Temurin 25; elsewhere the
# distribution's openjdk-21 (Debian 13, Ubuntu 24.04) serves.
java_home() {
  local candidate major
  for candidate in ${ES_JAVA_HOME:-} /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] || continue
    major=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
    [ "${major:-0}" -ge 21 ] 2>/dev/null && { echo "$candidate"; return; }
  done
}

start_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432; then say "PostgreSQL already running"; else
    local version
    version=$(pg_lsclusters -h | awk '{print $1}' | sort -n | tail -1)
    if [ -z "$version" ]; then
      version=$(ls /usr/lib/postgresql | sort -n | tail -1)
      "${SUDO[@]}" pg_createcluster "$version" main
    fi
    say "Starting PostgreSQL $version"
    "${SUDO[@]}" pg_ctlcluster "$version" main start
    started "postgresql-$version"
    wait_for 30 PostgreSQL pg_isready -h 127.0.0.1 -p 5432
  fi
  # The role may create databases: the test runner makes test_portal.
  as_user postgres psql -qtAc "DO \$\$BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal') THEN
        CREATE ROLE portal LOGIN CREATEDB PASSWORD 'portal';
      END IF; END\$\$;"
  as_user postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'portal'" | grep -q 1 \
    || as_user postgres createdb -O portal portal
}

start_redis() {
  if redis-cli -h 127.0.0.1 ping 2>/dev/null | grep -q PONG; then say "Redis already running"; return; fi
  say "Starting Redis"
  mkdir -p "$STATE/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$STATE/redis" \
    --appendonly yes --logfile "$STATE/redis/redis.log" --pidfile "$STATE/redis/redis.pid"
  started redis
  wait_for 20 Redis redis-cli -h 127.0.0.1 ping
}

# (The integ-test distribution does not serve GET /, so the version comes from _cat.)
es_version() { curl -sf "$ES_URL/_cat/nodes?h=version" | tr -d '[:space:]'; }

start_elasticsearch() {
  local running
  running=$(es_version || true)
  if [ -n "$running" ]; then
    [ "$running" = "$ELASTICSEARCH_VERSION" ] || { echo "Elasticsearch $running answers on 9200; expected $ELASTICSEARCH_VERSION" >&2; exit 1; }
    say "Elasticsearch $running already running"; return
  fi
  unpack_elasticsearch
  mkdir -p "$STATE/es/data" "$STATE/es/logs"
  cat > "$ES_HOME/config/elasticsearch.yml" <<YAML
cluster.name: qt-portal
node.name: local
discovery.type: single-node
network.host: 127.0.0.1
http.port: 9200
path.data: $STATE/es/data
path.logs: $STATE/es/logs
xpack.security.enabled: false
# Shared developer disks fill up; a full disk must not turn indices read-only mid-test.
cluster.routing.allocation.disk.threshold_enabled: false
YAML
  local jdk run
  jdk=$(java_home)
  [ -n "$jdk" ] || { echo "No Java 21+ found for Elasticsearch (set ES_JAVA_HOME)" >&2; exit 1; }
  run=(env ES_JAVA_HOME="$jdk" ES_JAVA_OPTS="-Xms${ES_HEAP:-1g} -Xmx${ES_HEAP:-1g}"
       "$ES_HOME/bin/elasticsearch" -d -p "$STATE/es/es.pid")
  say "Starting Elasticsearch $ELASTICSEARCH_VERSION (Java: $jdk)"
  if [ "$(id -u)" = 0 ]; then  # Elasticsearch refuses to run as root
    elasticsearch_user
    chown -R elasticsearch "$ES_HOME" "$STATE/es"
    runuser -u elasticsearch -- "${run[@]}" >"$STATE/es/start.log" 2>&1
  else
    "${run[@]}" >"$STATE/es/start.log" 2>&1
  fi
  started elasticsearch
  wait_for 120 Elasticsearch curl -sf "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=1s"
}

elasticsearch_user() {  # as root: the system user Elasticsearch runs as (it refuses root)
  id elasticsearch >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin elasticsearch
  chmod 755 "$STATE"
}

# The Maven Central distribution, fetched once into the cache and unpacked once into $ES_HOME.
unpack_elasticsearch() {
  local zip=$CACHE/elasticsearch-$ELASTICSEARCH_VERSION.zip
  if [ ! -f "$zip" ]; then
    say "Fetching Elasticsearch $ELASTICSEARCH_VERSION from Maven Central (once; cached in $CACHE)"
    mvn -q dependency:copy -DoutputDirectory="$CACHE" \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ELASTICSEARCH_VERSION:zip"
  fi
  if [ ! -x "$ES_HOME/bin/elasticsearch" ]; then
    mkdir -p "$STATE"
    rm -rf "$ES_HOME.tmp" && unzip -q "$zip" -d "$ES_HOME.tmp"
    mv "$ES_HOME.tmp/elasticsearch-$ELASTICSEARCH_VERSION" "$ES_HOME" && rm -rf "$ES_HOME.tmp"
  fi
  if [ "$(id -u)" = 0 ]; then elasticsearch_user; chown -R elasticsearch "$ES_HOME"; fi
}

# The providers we cannot reach from here, played by our own servers on loopback (README, "Reaching people").
PROVIDERS_DIR=$STATE/providers-$LOCAL_SMS_PORT
start_providers() {
  if curl -sf "127.0.0.1:$LOCAL_SMS_PORT/sent.json" >/dev/null 2>&1; then say "Local message providers already running"; return; fi
  [ -x "$ROOT/.venv/bin/python" ] || { echo "No virtualenv yet: run make setup first" >&2; return 1; }
  say "Starting the local message providers: SMS :$LOCAL_SMS_PORT, Zalo :$LOCAL_ZALO_PORT, SMTP :$LOCAL_SMTP_PORT"
  mkdir -p "$PROVIDERS_DIR"
  (cd "$ROOT" && exec nohup .venv/bin/python -m notifications.devservers --sms-port "$LOCAL_SMS_PORT" \
      --zalo-port "$LOCAL_ZALO_PORT" --smtp-port "$LOCAL_SMTP_PORT") >"$PROVIDERS_DIR/providers.log" 2>&1 &
  echo $! >"$PROVIDERS_DIR/providers.pid"
  started "providers-$LOCAL_SMS_PORT"
  wait_for 20 "Local message providers" curl -sf "127.0.0.1:$LOCAL_SMS_PORT/sent.json"
}

# A running `make run` (its pid) holds the services: another checkout's stop leaves them running meanwhile.
hold() { mkdir -p "$STATE/holds" && echo "$ROOT" >"$STATE/holds/$1"; }

other_holders() {  # the checkouts other than this one whose `make run` is still alive
  local held
  for held in "$STATE"/holds/*; do
    [ -e "$held" ] || continue
    if ! kill -0 "${held##*/}" 2>/dev/null || [ "$(cat "$held")" = "$ROOT" ]; then rm -f "$held"; continue; fi
    cat "$held"
  done
}

stop_all() {
  local marker owner holders
  holders=$(other_holders)
  if [ -n "$holders" ]; then say "Services left running: in use by $(echo "$holders" | sort -u | tr '\n' ' ')"; return 0; fi
  for marker in "$STATE"/started/*; do
    [ -e "$marker" ] || continue
    owner=$(cat "$marker")
    if [ "$owner" != "$ROOT" ]; then
      say "Left running: ${marker##*/}, started by ${owner:-an earlier version of this script (stop it by hand)}"
      continue
    fi
    case "$(basename "$marker")" in
      elasticsearch) say "Stopping Elasticsearch"; [ -f "$STATE/es/es.pid" ] && kill "$(cat "$STATE/es/es.pid")" 2>/dev/null ;;
      redis) say "Stopping Redis"; redis-cli -h 127.0.0.1 shutdown 2>/dev/null ;;
      providers-*) say "Stopping the local message providers"
                   [ -f "$STATE/${marker##*/}/providers.pid" ] && kill "$(cat "$STATE/${marker##*/}/providers.pid")" 2>/dev/null ;;
      postgresql-*) local version=${marker##*-}; say "Stopping PostgreSQL $version"
                    "${SUDO[@]}" pg_ctlcluster "$version" main stop ;;
    esac
    rm -f "$marker"
  done
  return 0
}

create_database() {  # a database of the portal role's, if missing (the benchmark has its own)
  as_user postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 || as_user postgres createdb -O portal "$1"
}

case "${1:-}" in
  install) install_packages ;;
  database) create_database "$2" ;;
  start) start_postgres; start_redis; start_elasticsearch; start_providers ;;
  providers) start_providers ;;
  stop) stop_all ;;
  hold) hold "${2:?usage: $0 hold PID}" ;;
  elasticsearch-home) unpack_elasticsearch >&2; echo "$ES_HOME" ;;  # for scripts/es-cluster.sh
  java-home) java_home ;;
  *) echo "usage: $0 install|start|providers|stop|hold PID|database NAME|elasticsearch-home|java-home" >&2; exit 2 ;;
esac
