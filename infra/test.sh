#!/usr/bin/env bash
# Runs every test of the workspace: set-up (idempotent), then cargo nextest (cargo test when nextest is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/setup.sh
export LABRADOR_ASSETS="${LABRADOR_ASSETS:-$HOME/.cache/labrador/assets}"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast "$@"
else
  cargo test --workspace --no-fail-fast "$@"
fi
