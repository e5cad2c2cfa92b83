#!/usr/bin/env bash
# Services private to the test run: PostgreSQL, Redis and an S3 server (moto).
#
#   scripts/test-services.sh start   start what is not running yet (installs
#                                     PostgreSQL / Redis with apt-get when missing
#                                     and running as root), then print the env
#   scripts/test-services.sh env     print the environment to use them (sh syntax)
#   scripts/test-services.sh status  show what runs where
#   scripts/test-services.sh stop    stop them (data is kept for next time)
#   scripts/test-services.sh clean   stop them and remove their data
#
# Everything lives under ./var/test-services/, listens on 127.0.0.1 only, on
# non-default ports (PostgreSQL 54329, Redis 63799, moto 53000; the next free
# port is taken when another program holds one). Override the ports with
# HOSO_TEST_PG_PORT, HOSO_TEST_REDIS_PORT, HOSO_TEST_S3_PORT.
#
# PostgreSQL refuses to run as root: as root, it runs as the "postgres" system
# user (or a "hoso-test-pg" user created for it). When that user cannot reach
# ./var/test-services (a checkout under a private folder such as mktemp -d),
# the cluster lives in /tmp and ./var/test-services/pg links to it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR="$ROOT/var/test-services"
VENV="${HOSO_VENV:-$ROOT/.venv}"
WAIT_SECONDS=60

PG_DEFAULT_PORT=${HOSO_TEST_PG_PORT:-54329}
REDIS_DEFAULT_PORT=${HOSO_TEST_REDIS_PORT:-63799}
S3_DEFAULT_PORT=${HOSO_TEST_S3_PORT:-53000}

log() { echo "test-services: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

port_open() {  # port_open PORT: something accepts TCP connections on 127.0.0.1:PORT
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {  # pick_port BASE: BASE, or the next port nobody listens on
    local port=$1
    for _ in $(seq 0 50); do
        if ! port_open "$port"; then echo "$port"; return 0; fi
        port=$((port + 1))
    done
    die "no free port from $1 to $port"
}

wait_for() {  # wait_for DESCRIPTION COMMAND...: retry COMMAND for WAIT_SECONDS
    local what=$1; shift
    for _ in $(seq 1 $((WAIT_SECONDS * 4))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.25
    done
    die "$what did not come up within ${WAIT_SECONDS}s"
}

pid_alive() {  # pid_alive PIDFILE PATTERN: the recorded process runs and its command matches PATTERN
    local pid
    [ -s "$1" ] || return 1
    pid=$(cat "$1")
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

stop_pid() {  # stop_pid PIDFILE PATTERN NAME
    local pidfile=$1 pattern=$2 name=$3 pid
    if pid_alive "$pidfile" "$pattern"; then
        pid=$(cat "$pidfile")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 80); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name (pid $pid) did not stop, killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        log "stopped $name"
    fi
    rm -f "$pidfile"
}

# --- PostgreSQL -----------------------------------------------------------

pg_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir)
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

pg_user() {  # the account that runs postgres
    if ! is_root; then id -un; return; fi
    if id postgres >/dev/null 2>&1; then echo postgres; return; fi
    if ! id hoso-test-pg >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin hoso-test-pg
    fi
    echo hoso-test-pg
}

as_pg() {  # run a command as the PostgreSQL account, from a folder it can read
    if is_root; then
        (cd / && runuser -u "$PG_USER" -- "$@")
    else
        "$@"
    fi
}

pg_base() {  # the folder holding the cluster (resolved; created when missing)
    local base="$VAR/pg"
    if [ -L "$base" ]; then
        local target
        target=$(readlink "$base")
        if [ -d "$target" ]; then echo "$target"; return; fi
        rm -f "$base"
    fi
    mkdir -p "$base"
    if is_root && [ "$PG_USER" != root ]; then
        chown "$PG_USER" "$base"
        if ! (cd / && runuser -u "$PG_USER" -- test -w "$base"); then
            # The checkout is in a folder the postgres account cannot enter.
            rmdir "$base"
            local hash
            hash=$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
            base="${TMPDIR:-/tmp}/hoso-test-pg-$hash"
            mkdir -p "$base"
            chmod 700 "$base"
            chown "$PG_USER" "$base"
            ln -sfn "$base" "$VAR/pg"
            log "$PG_USER cannot enter $VAR: PostgreSQL data is in $base"
        fi
    fi
    echo "$base"
}

pg_running() {
    [ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ] \
        && as_pg "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

pg_setup() {
    PG_BIN=$(pg_bindir) || {
        log "PostgreSQL is not installed"
        "$ROOT/scripts/ensure-deb-packages.sh" postgresql
        PG_BIN=$(pg_bindir) || die "PostgreSQL binaries not found after installing"
    }
    PG_USER=$(pg_user)
    PG_BASE=$(pg_base)
    PG_DATA="$PG_BASE/data"
}

pg_start() {
    pg_setup
    if pg_running; then
        PG_PORT=$(cat "$PG_BASE/port")
        log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
        return
    fi
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        rm -rf "$PG_DATA"
        local locale_opt=(--no-locale)
        if locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then locale_opt=(--locale=C.UTF-8); fi
        log "initdb $PG_DATA ($("$PG_BIN/postgres" --version), as $PG_USER)"
        as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 "${locale_opt[@]}" \
            >"$PG_BASE/initdb.log" 2>&1 || { cat "$PG_BASE/initdb.log" >&2; die "initdb failed"; }
        echo "include = 'hoso-test.conf'" >>"$PG_DATA/postgresql.conf"
    fi
    PG_PORT=$(pick_port "$PG_DEFAULT_PORT")
    # Unix sockets live in a folder of the cluster, unless the path is too long for one.
    local socket_dir="$PG_BASE/run"
    mkdir -p "$socket_dir"
    is_root && chown "$PG_USER" "$socket_dir"
    [ "${#socket_dir}" -gt 90 ] && socket_dir=""
    cat >"$PG_DATA/hoso-test.conf" <<EOF
# Written by scripts/test-services.sh: a throwaway cluster for tests.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$socket_dir'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
    is_root && chown "$PG_USER" "$PG_DATA/hoso-test.conf"
    echo "$PG_PORT" >"$PG_BASE/port"
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_BASE/postgresql.log" -w -t "$WAIT_SECONDS" start >/dev/null \
        || { tail -n 30 "$PG_BASE/postgresql.log" >&2; die "PostgreSQL did not start"; }
    wait_for PostgreSQL "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres
    if [ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
            "SELECT 1 FROM pg_database WHERE datname = 'hoso'")" != 1 ]; then
        "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres hoso
    fi
}

pg_stop() {
    if [ ! -e "$VAR/pg" ]; then return; fi
    pg_setup
    if pg_running; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$WAIT_SECONDS" stop >/dev/null
        log "stopped PostgreSQL"
    fi
}

# --- Redis ----------------------------------------------------------------

redis_start() {
    local dir="$VAR/redis"
    mkdir -p "$dir"
    if pid_alive "$dir/redis.pid" redis-server && redis_ping "$(cat "$dir/port")"; then
        log "Redis already running on 127.0.0.1:$(cat "$dir/port")"
        return
    fi
    if ! command -v redis-server >/dev/null 2>&1; then
        log "Redis is not installed"
        "$ROOT/scripts/ensure-deb-packages.sh" redis-server
        command -v redis-server >/dev/null 2>&1 || die "redis-server not found after installing"
    fi
    local port
    port=$(pick_port "$REDIS_DEFAULT_PORT")
    echo "$port" >"$dir/port"
    log "starting Redis on 127.0.0.1:$port"
    redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --daemonize yes \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" \
        --save "" --appendonly no >/dev/null \
        || { tail -n 30 "$dir/redis.log" >&2 || true; die "Redis did not start"; }
    wait_for Redis redis_ping "$port"
    wait_for "Redis pidfile" test -s "$dir/redis.pid"
}

redis_ping() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
    else
        port_open "$1"
    fi
}

redis_stop() { stop_pid "$VAR/redis/redis.pid" redis-server Redis; }

# --- S3 (moto server) -----------------------------------------------------

s3_start() {
    local dir="$VAR/s3"
    mkdir -p "$dir"
    if pid_alive "$dir/moto.pid" moto_server && port_open "$(cat "$dir/port")"; then
        log "moto S3 server already running on 127.0.0.1:$(cat "$dir/port")"
        return
    fi
    [ -x "$VENV/bin/moto_server" ] || die "$VENV/bin/moto_server not found: run make install (moto[server] is in the test extra)"
    local port
    port=$(pick_port "$S3_DEFAULT_PORT")
    echo "$port" >"$dir/port"
    log "starting moto S3 server on 127.0.0.1:$port"
    nohup "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 </dev/null &
    echo $! >"$dir/moto.pid"
    for _ in $(seq 1 $((WAIT_SECONDS * 4))); do
        port_open "$port" && return 0
        pid_alive "$dir/moto.pid" moto_server || break
        sleep 0.25
    done
    tail -n 30 "$dir/moto.log" >&2 || true
    die "moto server did not start"
}

s3_stop() { stop_pid "$VAR/s3/moto.pid" moto_server "moto S3 server"; }

# --- Commands -------------------------------------------------------------

print_env() {
    local pg_port="" redis_port="" s3_port=""
    [ -f "$VAR/pg/port" ] && pg_port=$(cat "$VAR/pg/port")
    [ -f "$VAR/redis/port" ] && redis_port=$(cat "$VAR/redis/port")
    [ -f "$VAR/s3/port" ] && s3_port=$(cat "$VAR/s3/port")
    [ -n "$pg_port" ] && echo "export HOSO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/hoso"
    [ -n "$redis_port" ] && echo "export HOSO_TEST_REDIS_URL=redis://127.0.0.1:$redis_port/0"
    [ -n "$s3_port" ] && echo "export HOSO_TEST_S3_ENDPOINT=http://127.0.0.1:$s3_port"
    return 0
}

status() {
    local pg="stopped" redis="stopped" s3="stopped"
    if [ -e "$VAR/pg" ]; then
        pg_setup
        pg_running && pg="running on 127.0.0.1:$(cat "$PG_BASE/port") (data $PG_DATA, user $PG_USER)"
    fi
    pid_alive "$VAR/redis/redis.pid" redis-server && redis="running on 127.0.0.1:$(cat "$VAR/redis/port")"
    pid_alive "$VAR/s3/moto.pid" moto_server && s3="running on 127.0.0.1:$(cat "$VAR/s3/port")"
    echo "PostgreSQL: $pg"
    echo "Redis:      $redis"
    echo "S3 (moto):  $s3"
}

stop_all() {
    local rc=0
    s3_stop || rc=1
    redis_stop || rc=1
    pg_stop || rc=1
    return $rc
}

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

mkdir -p "$VAR"
case "${1:-}" in
    start)
        services=("${@:2}")
        [ "${#services[@]}" -eq 0 ] && services=(pg redis s3)
        for service in "${services[@]}"; do
            case "$service" in
                pg|postgres|postgresql) pg_start ;;
                redis) redis_start ;;
                s3|moto) s3_start ;;
                *) die "unknown service: $service (pg, redis, s3)" ;;
            esac
        done
        print_env
        ;;
    env) print_env ;;
    status) status ;;
    stop) stop_all ;;
    clean)
        stop_all || true
        if [ -L "$VAR/pg" ]; then rm -rf "$(readlink "$VAR/pg")"; fi
        rm -rf "$VAR"
        log "removed $VAR"
        ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
