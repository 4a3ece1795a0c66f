#!/usr/bin/env bash
# The main job on one machine, on the embedded default: set-up, build, start `labrador serve`,
# upload a sample lab report, poll until it is done, print the report JSON, stop the server.
# Usage: bash infra/demo.sh [report.pdf|.png|.jpg]
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh >&2
export LABRADOR_ASSETS="${LABRADOR_ASSETS:-$HOME/.cache/labrador/assets}"
cargo build -p labrador >&2
BIN="${CARGO_TARGET_DIR:-target}/debug/labrador"
SAMPLE="${1:-infra/samples/sample_report.pdf}"
PORT="${LABRADOR_DEMO_PORT:-8089}"
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"
export LABRADOR_API_KEY="demo_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

"$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" 2>"$DATA/serve.log" &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT

for _ in $(seq 1 100); do
  curl -sf "$BASE/health" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$DATA/serve.log" >&2; exit 1; }
  sleep 0.1
done

echo "uploading $SAMPLE" >&2
ACCEPTED="$(curl -sS -X POST "$BASE/v1/lab-reports" -H "x-api-key: $LABRADOR_API_KEY" \
  -F "files=@$SAMPLE" -F reference_id=demo -F 'metadata={"source":"demo"}')"
echo "$ACCEPTED" >&2
ID="$(printf '%s' "$ACCEPTED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"

for _ in $(seq 1 600); do
  CODE="$(curl -s -o "$DATA/report.json" -w '%{http_code}' "$BASE/v1/lab-reports/$ID" -H "x-api-key: $LABRADOR_API_KEY")"
  [ "$CODE" != "202" ] && break
  sleep 0.2
done
echo "GET /v1/lab-reports/$ID -> $CODE" >&2
python3 -m json.tool "$DATA/report.json"
[ "$CODE" = "200" ]
