#!/usr/bin/env bash
# Builds the GPT-J CUDA kernels into the fatbin resource that the Java backend loads.
# Run after editing gptj_kernels.cu and commit both outputs; KernelImageTest fails when the
# committed fatbin was built from another version of the source.
#
# The fatbin holds sm_90 machine code (H100/H200) and compute_90 PTX, which the driver compiles
# for any newer GPU at load. Needs nvcc >= 12.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/dev/switchboard/gptj/internal/cuda"
mkdir -p "$out"
NVCC="${NVCC:-nvcc}"
"$NVCC" -O3 -std=c++17 --fatbin \
  -gencode=arch=compute_90,code=sm_90 \
  -gencode=arch=compute_90,code=compute_90 \
  -Xptxas -v \
  -o "$out/gptj_kernels.fatbin" "$here/gptj_kernels.cu" 2> "$here/../../../target/ptxas-report.txt" \
  || { cat "$here/../../../target/ptxas-report.txt" >&2; exit 1; }
sha256sum "$here/gptj_kernels.cu" | cut -d' ' -f1 > "$out/gptj_kernels.fatbin.sha256"
grep -E "spill|registers" "$here/../../../target/ptxas-report.txt" | paste - - | grep -v " 0 bytes spill stores" || true
echo "wrote $out/gptj_kernels.fatbin ($(stat -c %s "$out/gptj_kernels.fatbin") bytes)"
