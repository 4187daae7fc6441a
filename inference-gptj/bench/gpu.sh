#!/usr/bin/env bash
# Device script for issue 11 (GPT-J on the GPU) and the device half of issue 4 (CPU vs HF).
# Runs on the GPU machine from the files bench/package-device.sh packed into .device/ (carried):
#   .device/bench/gpu.sh smoke   GPU tests (kernels, HF fixtures) + 6B-shape profile + two cells, ours and HF
#   .device/bench/gpu.sh grid    (= oursgrid hfgrid) the seed grid: input 50/200/500/1000 x output 50/100/150/200 at batch 1,
#                                batch 16 at 200/100, TTFT at 1000 in; ours vs HF eager and HF static cache
#   .device/bench/gpu.sh cpu     issue 4's CPU comparison (bench/cpu-vs-hf.sh of the CPU engine);
#                                QUICK=1: batch 1 only, no logits check (~2 min; see CPU-NOTES.md)
#   .device/bench/gpu.sh cli     bin/gptj bench and generate with --device cuda on the 6B checkpoint
#   several sections may be given, e.g. `gpu.sh tests cli grid`
# Logs go to $OUT (what the device call brings back); the last lines are the compact table.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
D="$(cd "$here/.." && pwd)"
OUT="${OUT:-/tmp/gpu-out}"
W="${WORK:-/tmp/sb}"
mkdir -p "$OUT" "$W"
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0
[ -x "$W/jdk/bin/java" ] || tar -C "$W" -xzf "$D/jdk.tgz"
JAVA="$W/jdk/bin/java"
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -XX:MaxRAMPercentage=60)
CP="$(ls "$D"/lib/*.jar | tr '\n' ':')"
MODEL6B="$W/gptj-6b-random"
CELLS="50x50,50x100,50x150,50x200,200x50,200x100,200x150,200x200,500x50,500x100,500x150,500x200,1000x50,1000x100,1000x150,1000x200"

log() { echo "== $(date +%T) $*" | tee -a "$OUT/summary.log"; }

gpu_info() {
  nvidia-smi --query-gpu=name,memory.total,clocks.max.sm,clocks.max.mem,driver_version --format=csv 2>&1 | tee -a "$OUT/summary.log"
  python3 -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)" 2>&1 | tee -a "$OUT/summary.log"
}

tests() {
  log "GPU tests (JUnit console)"
  local tcp="$D/test/classes:$CP$(ls "$D"/test/lib/*.jar | grep -v console | tr '\n' ':')"
  "$JAVA" "${FLAGS[@]}" -jar "$D"/test/lib/junit-platform-console-standalone-*.jar execute \
    --class-path "$tcp" --disable-banner --disable-ansi-colors --details=tree \
    --select-class dev.switchboard.gptj.internal.cuda.CudaAvailabilityTest \
    --select-class dev.switchboard.gptj.internal.cuda.CudaKernelsGpuTest \
    --select-class dev.switchboard.gptj.internal.cuda.CudaFixturesGpuTest > "$OUT/gpu-tests.log" 2>&1
  local rc=$?
  grep -E "tests (successful|failed|aborted|skipped)|containers aborted|✘|max \|" "$OUT/gpu-tests.log" | head -40 | tee -a "$OUT/summary.log"
  log "GPU tests exit code $rc"
  if grep -qE "\[1\] attn_decode .*✘|\[1\] attn_decode ✘" "$OUT/gpu-tests.log"; then
    ATTN_OPT=(-Dswitchboard.cuda.attn=serial)
    log "parallel-merge attention failed its test: benchmarking with the serial merge"
  fi
}

checkpoint() {
  [ -f "$MODEL6B/model.safetensors" ] && return 0
  log "random 6B-shape fp16 checkpoint -> $MODEL6B"
  mkdir -p "$MODEL6B"
  cat > "$W/gptj-6b-config.json" <<'JSON'
{"architectures": ["GPTJForCausalLM"], "model_type": "gptj", "vocab_size": 50400, "n_positions": 2048,
 "n_embd": 4096, "n_layer": 28, "n_head": 16, "rotary_dim": 64, "n_inner": null,
 "activation_function": "gelu_new", "layer_norm_epsilon": 1e-05, "bos_token_id": 50256, "eos_token_id": 50256,
 "tie_word_embeddings": false, "initializer_range": 0.02, "use_cache": true, "torch_dtype": "float16"}
JSON
  local t0=$SECONDS
  if [ "${INIT:-java}" = java ]; then
    "$JAVA" "${FLAGS[@]}" -cp "$CP" dev.switchboard.gptj.internal.cli.GptjCli random-init \
      --config "$W/gptj-6b-config.json" --out "$MODEL6B" --dtype f16 > "$OUT/random-init.log" 2>&1 \
      || { tail -5 "$OUT/random-init.log"; INIT=torch; }
  fi
  if [ "${INIT:-java}" = torch ]; then
    python3 "$here/hf_gpu_bench.py" init --model "$MODEL6B" --config "$W/gptj-6b-config.json" 2>&1 | tail -3
  fi
  log "checkpoint ready in $((SECONDS - t0)) s ($(du -sh "$MODEL6B" | cut -f1))"
}

ATTN_OPT=()
ours() {  # args for CudaBench
  "$JAVA" "${FLAGS[@]}" "${ATTN_OPT[@]}" -cp "$CP" dev.switchboard.gptj.internal.cuda.CudaBench --model "$MODEL6B" "$@"
}

smoke() {
  checkpoint
  log "ours: profile at position 1199, two cells, TTFT"
  ours --profile 1199 --cells 200x100,1000x200 --engine-cells 200x100 --ttft 1000 --batch 16x200x100 \
    2>&1 | tee "$OUT/ours-smoke.log" | grep -E "RESULT|Exception|Error|at dev" | cut -c1-1500
  log "HF: eager + static on 200x100, 1000x200 (static compile time)"
  timeout 420 python3 "$here/hf_gpu_bench.py" gpu --model "$MODEL6B" --cells 1000x200,200x100 --modes eager,static \
    --ttft 1000 2>&1 | tee "$OUT/hf-smoke.log" | grep -E "RESULT|Error|error" | cut -c1-600
  python3 "$here/gpu_table.py" "$OUT/ours-smoke.log" "$OUT/hf-smoke.log" | tee -a "$OUT/summary.log"
}

oursgrid() {
  checkpoint
  log "ours: the grid"
  ours --profile 1199 --cells "$CELLS" --ttft 1000 --batch 16x200x100 --engine-cells 200x100,1000x200 --repeat 2 \
    > "$OUT/ours-grid.log" 2>&1
  grep -E "Exception|Error" "$OUT/ours-grid.log" | head -5
  python3 "$here/gpu_table.py" "$OUT/ours-grid.log" | tee "$OUT/table-ours.txt"
}

hfgrid() {
  checkpoint
  log "HF: the grid, eager then static"
  timeout "${HF_TIMEOUT:-420}" python3 "$here/hf_gpu_bench.py" gpu --model "$MODEL6B" --cells "$CELLS" \
    --modes "${HF_MODES:-static,eager}" --static-repeat "${HF_STATIC_REPEAT:-2}" --ttft 1000 --batch 16x200x100 \
    > "$OUT/hf-grid.log" 2>&1
  grep -E "error|Error" "$OUT/hf-grid.log" | head -5
  python3 "$here/gpu_table.py" "$OUT/ours-grid.log" "$OUT/hf-grid.log" | tee "$OUT/table.txt"
}

grid() {
  oursgrid
  hfgrid
}

cli() {  # the user's path: bin/gptj's CLI with --device cuda on the 6B checkpoint
  checkpoint
  log "CLI: gptj bench / generate --device cuda"
  GPTJ_JAVA="$JAVA" "$D/cpu/gptj" bench --device cuda --model "$MODEL6B" --input 200 --output 100 --json \
    > "$OUT/cli.log" 2>&1
  GPTJ_JAVA="$JAVA" "$D/cpu/gptj" generate --device cuda --model "$MODEL6B" --ids 464,2057,373,12625 \
    --max-tokens 8 >> "$OUT/cli.log" 2>&1
  grep -vE "reading weights|upload to GPU" "$OUT/cli.log" | tail -6 | cut -c1-400 | tee -a "$OUT/summary.log"
}

cpu() {
  log "issue 4: CPU engine (fp32, int8) vs HF fp32 on the CPU, 2 and 16 threads"
  GPTJ_JAVA="$JAVA" PYTHON=python3 bash "$D/cpu/cpu-vs-hf.sh" "$W/cpu" "${CPU_THREADS:-2 16}" \
    > "$OUT/cpu-vs-hf.log" 2>&1
  log "cpu-vs-hf exit code $?"
  grep -E "^==|^\||max \|logit|error|Error" "$OUT/cpu-vs-hf.log" | tail -30 | tee -a "$OUT/summary.log"
}

gpu_info
for section in "${@:-smoke}"; do
  "$section"
done
