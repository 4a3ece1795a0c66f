#!/usr/bin/env bash
# Runs schemathesis (every check, positive and negative data, every phase including stateful
# links) against `labrador serve` on embedded storage in a temporary directory, and fails on any
# failure. The server is always stopped. Used by .ci/run; run it by hand the same way:
#   bash infra/schemathesis.sh               # builds nothing; uses $CARGO_TARGET_DIR/debug/labrador
#   ST_MAX_EXAMPLES=250 ST_SEED=7 bash infra/schemathesis.sh
# Environment: LABRADOR_BIN (the binary), ST_MAX_EXAMPLES (per operation, default 30),
# ST_PORT (default 18080), ST_SEED (default 1, for reproducible runs), ST_REPORT_DIR (keeps
# the JUnit report there), ST_SPEC (test against this file instead of the served
# /v1/openapi.yaml, to try spec edits without a rebuild).
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS="${LABRADOR_TOOLS:-$HOME/.cache/labrador/tools}"
ST="$TOOLS/schemathesis/bin/st"
BIN="${LABRADOR_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/labrador/target}/debug/labrador}"
PORT="${ST_PORT:-18080}"
BASE="http://127.0.0.1:$PORT"

[ -x "$ST" ] || { echo "schemathesis not installed at $ST: run bash infra/setup.sh" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no labrador binary at $BIN: cargo build --workspace --all-targets" >&2; exit 2; }

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

KEY=$("$BIN" api-key create --tenant schemathesis --data-dir "$WORK/data")
# A fast webhook schedule, so that deliveries started by the run settle while it runs.
"$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" --tenant schemathesis \
  --webhook-retry-schedule 1s,1s,1s --max-receives 2 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done

# Two reports (the second a duplicate of the first, so rejected), so that a list has a second
# page: its cursor is the one valid cursor the run can use (infra/schemathesis.toml).
for ref in st-seed-1 st-seed-2; do
  curl -fsS -o /dev/null -H "x-api-key: $KEY" -F "files=@infra/samples/sample_report.pdf;type=application/pdf" \
    "$BASE/v1/lab-reports?reference_id=$ref"
done
ST_CURSOR=$(curl -fsS -H "x-api-key: $KEY" "$BASE/v1/lab-reports?limit=1" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["next_cursor"])')
export ST_CURSOR

CONFIG="$PWD/infra/schemathesis.toml"
case "${ST_SPEC:-}" in
  "") SPEC="$BASE/v1/openapi.yaml" ;;
  /*) SPEC="$ST_SPEC" ;;
  *) SPEC="$PWD/$ST_SPEC" ;;
esac
REPORT_DIR="${ST_REPORT_DIR:-$WORK/report}"
set +e
# From the temp dir: hypothesis and schemathesis keep their caches in the working directory.
(cd "$WORK" && "$ST" --config-file "$CONFIG" run "$SPEC" \
  --url "$BASE" \
  --header "x-api-key: $KEY" \
  --checks all \
  --mode all \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${ST_MAX_EXAMPLES:-30}" \
  --seed "${ST_SEED:-1}" \
  --generation-database none \
  --request-timeout 30 \
  --workers 2 \
  --suppress-health-check all \
  --no-color \
  --report junit --report-dir "$REPORT_DIR" \
  >"$WORK/st.log" 2>&1)
rc=$?
set -e
cat "$WORK/st.log"
cases=$(grep -E '^ +[0-9]+ generated, ' "$WORK/st.log" | tail -n 1 | sed 's/^ *//')
echo "schemathesis summary: $(grep -E '^=+ .* in [0-9.]+s =+$' "$WORK/st.log" | tail -n 1) (${cases:-no test cases})"
if [ "$rc" -ne 0 ]; then
  echo "--- server log (tail)" >&2
  tail -n 40 "$WORK/server.log" >&2
fi
exit "$rc"
