#!/usr/bin/env bash
# Elasticsearch nodes of our own on 127.0.0.1, from the same Maven Central distribution as
# scripts/services.sh (services.env's version, the zip cached in ~/.cache/qt-portal): a cluster to try
# a node's loss on, or a single node to kill, without touching the shared node on 9200.
#   scripts/es-cluster.sh start DIR HTTP_PORT [COUNT]   COUNT nodes (default 3) as one cluster: HTTP on
#                                                       HTTP_PORT, HTTP_PORT+1…, transport 100 above each;
#                                                       waits until all have joined and it is not red
#   scripts/es-cluster.sh node DIR N                    starts node N (1…) again, as configured by start
#   scripts/es-cluster.sh stop DIR                      stops every node of DIR (its data stays in DIR)
# Each node has its configuration, data and logs under DIR/nodeN; heaps are small (ES_HEAP, 512m);
# as root, the nodes run as the system user elasticsearch, as the shared node does.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ES_HOME=$("$ROOT/scripts/services.sh" elasticsearch-home)
JDK=$("$ROOT/scripts/services.sh" java-home)

as_es() { if [ "$(id -u)" = 0 ]; then runuser -u elasticsearch -- "$@"; else "$@"; fi; }

start_node() {  # start_node DIR N
  local node=$1/node$2
  rm -f "$node/es.pid"
  as_es env ES_JAVA_HOME="$JDK" ES_PATH_CONF="$node/config" ES_JAVA_OPTS="-Xms${ES_HEAP:-512m} -Xmx${ES_HEAP:-512m}" \
    "$ES_HOME/bin/elasticsearch" -d -p "$node/es.pid" >"$node/start.log" 2>&1
}

start() {  # start DIR HTTP_PORT COUNT
  local dir=$1 http=$2 count=${3:-3} seeds="" masters="" n
  for n in $(seq "$count"); do
    seeds+="${seeds:+, }\"127.0.0.1:$((http + 100 + n - 1))\""; masters+="${masters:+, }\"node$n\""
  done
  for n in $(seq "$count"); do
    local node=$dir/node$n
    mkdir -p "$node/data" "$node/logs"
    rm -rf "$node/config" && cp -r "$ES_HOME/config" "$node/config"
    cat > "$node/config/elasticsearch.yml" <<YAML
cluster.name: qt-portal-$http
node.name: node$n
network.host: 127.0.0.1
http.port: $((http + n - 1))
transport.port: $((http + 100 + n - 1))
path.data: $node/data
path.logs: $node/logs
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
YAML
    if [ "$count" = 1 ]; then
      echo "discovery.type: single-node" >> "$node/config/elasticsearch.yml"
    else
      printf 'discovery.seed_hosts: [%s]\ncluster.initial_master_nodes: [%s]\n' "$seeds" "$masters" >> "$node/config/elasticsearch.yml"
    fi
  done
  [ "$(id -u)" = 0 ] && chown -R elasticsearch "$dir"
  for n in $(seq "$count"); do start_node "$dir" "$n" & done  # at once: each waits for its own start
  wait
  for _ in $(seq 180); do
    curl -sf "http://127.0.0.1:$http/_cluster/health?wait_for_nodes=$count&wait_for_status=yellow&timeout=1s" \
      >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "Elasticsearch nodes of $dir did not form a cluster within 180 s; see $dir/node*/logs" >&2
  return 1
}

stop() {
  local pidfile pid
  for pidfile in "$1"/node*/es.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

case "${1:-}" in
  start) start "$2" "$3" "${4:-3}" ;;
  node) start_node "$2" "$3" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start DIR HTTP_PORT [COUNT] | node DIR N | stop DIR" >&2; exit 2 ;;
esac
