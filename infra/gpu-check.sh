#!/usr/bin/env bash
# The GPU check of issue 12 item 6, as one script for a machine with an NVIDIA GPU (CUDA 12.4 driver or newer):
# builds with the cuda profile, runs the gpu-tagged tests, times a Swin-B and a roberta-base fine-tune step and the
# exact MoNA meta-step on the GPU, and runs one short offline transfer on it. Every figure goes to OUT (default
# ./gpu-check) as JSON next to a log; copy the figures into the README's benchmark table with the card's name.
# Usage: infra/gpu-check.sh [OUT]    (offline data: run infra/setup.sh first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/gpu-check}"
mkdir -p "$OUT"
cd "$ROOT"
command -v nvidia-smi >/dev/null 2>&1 || { echo "gpu-check: nvidia-smi not found: no NVIDIA GPU here" >&2; exit 3; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.csv"

# 1. the cuda build (libtorch cu124, ONNX Runtime GPU) and the gpu-tagged tests: GPU/CPU parity, GPU export, bench
mvn -B -ntp -Pcuda -DskipTests package 2>&1 | tail -3
mvn -B -ntp -Pcuda test -Dmona.test.excludedGroups=slow -Dmona.test.groups=gpu -Dsurefire.failIfNoSpecifiedTests=false \
  -pl core 2>&1 | tee "$OUT/gpu-tests.log" | grep -E 'Tests run:|FAIL' || true

# 2. figures on the GPU (the jar built above is the cuda one; ./mona uses it as long as no source is newer)
for size in swin-base roberta-base; do
  ./mona bench train-step --size "$size" --steps 20 --format json | tee "$OUT/train-step-$size.json"
  ./mona bench train-step --size "$size" --steps 20 --precision bf16 --format json \
    | tee "$OUT/train-step-$size-bf16.json"
done
./mona bench meta-step --size swin-base --format json | tee "$OUT/meta-step-swin-base.json"
./mona bench meta-step --size vit-tiny --format json | tee "$OUT/meta-step-vit-tiny.json"

# 3. one short offline transfer on the GPU, end to end (fetch, source, MoNA, fine-tune, probe, export)
./mona run offline-spoken-digits -m mona -s limit=200 -s epochs=3 -s align.steps=20 --wait --format json \
  | tee "$OUT/run.json"
echo "gpu-check: figures in $OUT"
