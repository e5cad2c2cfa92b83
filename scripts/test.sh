#!/usr/bin/env bash
# The whole test suite, in four stages (make test runs this):
#
#   default     pytest on the embedded default: SQLite, local files, no broker
#   postgresql  pytest again on PostgreSQL
#   celery      tests marked "celery": a real Celery worker and a Redis broker
#   s3          tests marked "s3": the records store on an S3 server (moto) over HTTP
#   opensearch  the search suite (tests/search) on a real single-node OpenSearch 2.19
#
# PostgreSQL, Redis and moto run privately for the run (scripts/test-services.sh)
# and are stopped at the end; set HOSO_TEST_KEEP_SERVICES=1 to leave them up.
# Use servers of your own with HOSO_TEST_DATABASE_URL, HOSO_TEST_REDIS_URL or
# HOSO_TEST_S3_ENDPOINT. Run some stages only with HOSO_TEST_STAGES, e.g.
# HOSO_TEST_STAGES="default s3". Arguments are passed to every pytest run.
#
# Exits non-zero when a stage fails, collects no test, or (celery, s3 and
# opensearch stages) skips one of its tests.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VENV="${HOSO_VENV:-$ROOT/.venv}"
PYTHON="$VENV/bin/python"
VAR="$ROOT/var/test-services"
REPORTS="$VAR/reports"
STAGES=${HOSO_TEST_STAGES:-"default postgresql celery s3 opensearch"}
PYTEST_ARGS=("$@")

[ -x "$PYTHON" ] || { echo "test.sh: $PYTHON not found: run make install first" >&2; exit 1; }
mkdir -p "$VAR" "$REPORTS"

# One run at a time per checkout: the services and their ports are shared.
exec 9>"$VAR/.lock"
if ! flock -n 9; then
    echo "test.sh: another test run holds $VAR/.lock; waiting for it..." >&2
    flock 9
fi

# Variables that change the profile: each stage sets its own.
PROFILE_VARS=(DATABASE_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND HOSO_STORAGE HOSO_S3_ENDPOINT_URL
              HOSO_S3_BUCKET HOSO_S3_ACCESS_KEY HOSO_S3_SECRET_KEY HOSO_SEARCH_BACKEND HOSO_SEARCH_URLS
              HOSO_SEARCH_INDEX_PREFIX HOSO_TEST_S3_ENDPOINT)
unset_args=()
for name in "${PROFILE_VARS[@]}"; do unset_args+=(-u "$name"); done

declare -A RESULT DURATION
ORDER=()
services_started=0

stop_services() {
    if [ "$services_started" = 1 ] && [ "${HOSO_TEST_KEEP_SERVICES:-0}" != 1 ]; then
        "$ROOT/scripts/test-services.sh" stop 9>&- || true
        services_started=0
    fi
}
trap 'stop_services' EXIT
trap 'echo "test.sh: interrupted" >&2; exit 130' INT TERM

banner() {
    echo
    echo "================================================================================"
    echo "== hoso tests: $*"
    echo "================================================================================"
}

wanted() { [[ " $STAGES " == *" $1 "* ]]; }

check_report() {  # check_report XML: at least one test ran, none skipped
    "$PYTHON" - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
tests = sum(int(s.get("tests", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
if tests == 0:
    sys.exit("no test ran")
if skipped:
    names = [f"{c.get('classname')}.{c.get('name')}" for c in root.iter("testcase") if c.find("skipped") is not None]
    sys.exit(f"{skipped} of {tests} tests skipped: " + ", ".join(names))
EOF
}

run_stage() {  # run_stage NAME STRICT ENV... -- PYTEST ARGS...
    local name=$1 strict=$2; shift 2
    local envs=()
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    ORDER+=("$name")
    banner "$name ${envs[*]}"
    local report="$REPORTS/$name.xml" start rc status
    rm -f "$report"
    start=$(date +%s)
    env "${unset_args[@]}" "${envs[@]}" "$PYTHON" -m pytest --junitxml="$report" "$@" "${PYTEST_ARGS[@]}" 9>&-
    rc=$?
    DURATION[$name]=$(( $(date +%s) - start ))
    case $rc in
        0) status=passed ;;
        1) status="FAILED (tests failed)" ;;
        5) status="FAILED (no tests collected)" ;;
        *) status="FAILED (pytest exit code $rc)" ;;
    esac
    if [ "$rc" = 0 ] && [ "$strict" = strict ]; then
        local problem
        if ! problem=$(check_report "$report" 2>&1); then
            status="FAILED ($problem)"
        fi
    fi
    RESULT[$name]=$status
}

skip_stage() {  # skip_stage NAME REASON
    ORDER+=("$1")
    RESULT[$1]="FAILED ($2)"
    DURATION[$1]=0
}

# --- Stage 1: the embedded default profile -------------------------------
if wanted default; then
    run_stage default loose -- -p no:cacheprovider
fi

# --- Services for the other stages ---------------------------------------
need=()
if wanted postgresql || wanted celery; then
    [ -n "${HOSO_TEST_DATABASE_URL:-}" ] || need+=(pg)
fi
if wanted celery; then
    [ -n "${HOSO_TEST_REDIS_URL:-}" ] || need+=(redis)
fi
if wanted s3; then
    [ -n "${HOSO_TEST_S3_ENDPOINT:-}" ] || need+=(s3)
fi
services_ok=1
if [ "${#need[@]}" -gt 0 ]; then
    banner "starting services: ${need[*]}"
    services_started=1
    start=$(date +%s)
    # 9>&-: daemons must not inherit (and hold) the lock.
    if service_env=$("$ROOT/scripts/test-services.sh" start "${need[@]}" 9>&-); then
        # Only fill in what the caller did not provide.
        while read -r _export assignment; do
            name=${assignment%%=*}
            [ -n "${!name:-}" ] || export "$assignment"
        done <<<"$service_env"
        echo "services ready in $(( $(date +%s) - start ))s"
    else
        services_ok=0
        echo "test.sh: the test services did not start" >&2
    fi
fi

# --- Stage 2: PostgreSQL -------------------------------------------------
if wanted postgresql; then
    if [ "$services_ok" = 1 ]; then
        run_stage postgresql loose "DATABASE_URL=$HOSO_TEST_DATABASE_URL" -- -p no:cacheprovider
    else
        skip_stage postgresql "services did not start"
    fi
fi

# --- Stage 3: Celery worker with a Redis broker, on PostgreSQL -----------
if wanted celery; then
    if [ "$services_ok" = 1 ]; then
        run_stage celery strict "DATABASE_URL=$HOSO_TEST_DATABASE_URL" "CELERY_BROKER_URL=$HOSO_TEST_REDIS_URL" \
            -- -p no:cacheprovider -m celery
    else
        skip_stage celery "services did not start"
    fi
fi

# --- Stage 4: S3 storage on a moto server --------------------------------
if wanted s3; then
    if [ "$services_ok" = 1 ]; then
        run_stage s3 strict "HOSO_TEST_S3_ENDPOINT=$HOSO_TEST_S3_ENDPOINT" -- -p no:cacheprovider -m s3
    else
        skip_stage s3 "services did not start"
    fi
fi

# --- Stage 5: the search suite on OpenSearch ----------------------------
if wanted opensearch; then
    search_url=${HOSO_TEST_OPENSEARCH_URL:-}
    if [ -z "$search_url" ]; then
        banner "starting OpenSearch"
        # Stopped at the end only when this run started it.
        "$ROOT/scripts/opensearch.sh" status 9>&- | grep -q running || opensearch_started=1
        if "$ROOT/scripts/opensearch.sh" start 9>&- >/dev/null; then
            search_url="http://127.0.0.1:${HOSO_TEST_OPENSEARCH_PORT:-9209}"
        fi
    fi
    if [ -n "$search_url" ]; then
        run_stage opensearch strict "HOSO_SEARCH_BACKEND=opensearch" "HOSO_SEARCH_URLS=$search_url" \
            "HOSO_SEARCH_INDEX_PREFIX=hoso_test_" -- -p no:cacheprovider -m "not embedded_engine" tests/search
    else
        skip_stage opensearch "OpenSearch did not start"
    fi
    if [ "${opensearch_started:-0}" = 1 ] && [ "${HOSO_TEST_KEEP_SERVICES:-0}" != 1 ]; then
        "$ROOT/scripts/opensearch.sh" stop 9>&- || true
    fi
fi

stop_services

# --- Summary -------------------------------------------------------------
describe() {
    case $1 in
        default) echo "SQLite, local files, no broker" ;;
        postgresql) echo "PostgreSQL" ;;
        celery) echo "Celery worker + Redis broker (-m celery)" ;;
        s3) echo "S3 store on moto server (-m s3)" ;;
        opensearch) echo "search suite on OpenSearch 2.19" ;;
    esac
}
failed=0
echo
echo "================================================================================"
echo "== hoso test summary"
echo "================================================================================"
for name in "${ORDER[@]}"; do
    printf '  %-11s %-42s %5ss  %s\n' "$name" "$(describe "$name")" "${DURATION[$name]}" "${RESULT[$name]}"
    [ "${RESULT[$name]}" = passed ] || failed=1
done
if [ "${#ORDER[@]}" -eq 0 ]; then
    echo "  no stage selected (HOSO_TEST_STAGES=$STAGES)"
    failed=1
fi
if [ "$failed" = 0 ]; then
    echo "== all stages passed"
else
    echo "== FAILED"
fi
exit "$failed"
