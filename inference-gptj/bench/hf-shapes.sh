#!/usr/bin/env bash
# Checkpoints written by HF itself (odd shapes, f16/bf16, shards, tied embeddings, rotary_dim null / 0,
# prompts of 110-240 tokens that go through the prefill tiles,
# gelu / relu) through `gptj logits` and `gptj generate --ids`, compared with HF (hf_shapes.py).
# For a machine with torch + transformers (the GPU machine): carried as .device/ by
# `bench/package-device.sh`, run there as `.device/cpu/hf-shapes.sh`; here, with a Python that has
# them: `PYTHON=... inference-gptj/bench/hf-shapes.sh` (uses bin/gptj).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
gptj="${GPTJ:-$here/gptj}"
[ -x "$gptj" ] || gptj="$here/../../bin/gptj"
exec "${PYTHON:-python3}" "$here/hf_shapes.py" --gptj "$gptj" "$@"
