#!/usr/bin/env bash
# A single-node OpenSearch 2.19 for the search tests and benchmark, run from Maven Central's jars.
#
#   scripts/opensearch.sh start   build the launcher once (cached), start the node in the
#                                 background, wait until it answers, print the env to use it
#   scripts/opensearch.sh wait    wait until the node answers
#   scripts/opensearch.sh env     print the env (sh syntax)
#   scripts/opensearch.sh status  say whether it runs
#   scripts/opensearch.sh stop    stop it (data is kept under var/test-services/opensearch)
#   scripts/opensearch.sh clean   stop it and remove its data
#
# Listens on 127.0.0.1:9209 (HOSO_TEST_OPENSEARCH_PORT). Needs Java 17 and Maven (the first build
# downloads org.opensearch:opensearch and its modules from Maven Central into ~/.m2).
# Heap: HOSO_TEST_OPENSEARCH_HEAP (default 1g).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAUNCHER="$ROOT/scripts/opensearch-launcher"
BUILD="$ROOT/var/test-services/opensearch-launcher"
HOME_DIR="$ROOT/var/test-services/opensearch"
PORT=${HOSO_TEST_OPENSEARCH_PORT:-9209}
HEAP=${HOSO_TEST_OPENSEARCH_HEAP:-1g}
WAIT_SECONDS=${HOSO_TEST_OPENSEARCH_WAIT:-120}
PIDFILE="$HOME_DIR/opensearch.pid"
URL="http://127.0.0.1:$PORT"

log() { echo "opensearch: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

answers() { curl -fsS -m 2 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; }

running() {
    [ -s "$PIDFILE" ] || return 1
    local pid
    pid=$(cat "$PIDFILE")
    kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q vn.hoso.opensearch.Launcher
}

build() {
    # Rebuilt only when the launcher's sources change.
    local stamp="$BUILD/.sources" sources
    sources=$(cat "$LAUNCHER/pom.xml" "$LAUNCHER"/src/main/java/vn/hoso/opensearch/*.java | sha256sum | cut -d' ' -f1)
    if [ -f "$BUILD/opensearch-launcher.jar" ] && [ -d "$BUILD/lib" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sources" ]; then
        return
    fi
    command -v mvn >/dev/null || die "Maven (mvn) is not installed"
    command -v java >/dev/null || die "Java is not installed"
    log "building the launcher (Maven Central: org.opensearch:opensearch 2.19.6)"
    rm -rf "$BUILD"
    mkdir -p "$BUILD"
    cp -r "$LAUNCHER/pom.xml" "$LAUNCHER/src" "$BUILD/"
    (cd "$BUILD" && mvn -q -B package) >"$BUILD/build.log" 2>&1 || { tail -n 40 "$BUILD/build.log" >&2; die "build failed"; }
    mv "$BUILD/target/lib" "$BUILD/lib"
    mv "$BUILD/target/opensearch-launcher-1.0.0.jar" "$BUILD/opensearch-launcher.jar"
    rm -rf "$BUILD/target" "$BUILD/src" "$BUILD/pom.xml"
    echo "$sources" >"$stamp"
}

wait_up() {
    for _ in $(seq 1 $((WAIT_SECONDS * 2))); do
        answers && return 0
        if [ -s "$PIDFILE" ] && ! running; then
            tail -n 40 "$HOME_DIR/launcher.log" >&2 || true
            die "the node exited"
        fi
        sleep 0.5
    done
    die "no answer from $URL within ${WAIT_SECONDS}s"
}

start() {
    if running && answers; then
        log "already running on $URL"
        return
    fi
    if answers; then
        die "something else answers on $URL: set HOSO_TEST_OPENSEARCH_PORT"
    fi
    build
    mkdir -p "$HOME_DIR"
    log "starting on $URL (data in $HOME_DIR)"
    nohup java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -Djava.awt.headless=true \
        -Dlog4j2.disable.jmx=true -Dio.netty.allocator.type=unpooled \
        -cp "$BUILD/lib/*:$BUILD/opensearch-launcher.jar" vn.hoso.opensearch.Launcher "$HOME_DIR" "$PORT" \
        >"$HOME_DIR/launcher.log" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    wait_up
    log "ready"
}

stop() {
    if running; then
        local pid
        pid=$(cat "$PIDFILE")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 120); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -0 "$pid" 2>/dev/null && { log "did not stop, killing it"; kill -KILL "$pid" 2>/dev/null || true; }
        log "stopped"
    fi
    rm -f "$PIDFILE"
}

print_env() {
    echo "export HOSO_SEARCH_BACKEND=opensearch"
    echo "export HOSO_SEARCH_URLS=$URL"
}

case "${1:-}" in
    start) start; print_env ;;
    wait) wait_up ;;
    env) print_env ;;
    status) if running && answers; then echo "OpenSearch: running on $URL"; else echo "OpenSearch: stopped"; fi ;;
    stop) stop ;;
    clean) stop; rm -rf "$HOME_DIR" "$BUILD"; log "removed its data and build" ;;
    *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
