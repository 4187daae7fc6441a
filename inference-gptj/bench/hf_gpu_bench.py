#!/usr/bin/env python3
"""HF transformers side of the GPT-J benchmarks (issue 11 GPU grid, issue 4 CPU comparison).

Runs GPTJForCausalLM.generate (greedy, min_new_tokens = max_new_tokens, so every run makes the full
length) on the same deterministic prompts as our engine's bench (prompt_ids below; CudaBench uses the
same formula) and prints one JSON object per measurement, prefixed "RESULT ".

  gpu: fp16 on cuda, eager and/or static cache (generation_config.cache_implementation = "static",
       which makes HF compile the decode step). Static cells run largest first in one process, so the
       static cache and compiled graphs of the first cell are reused by the smaller ones.
  cpu: fp32 on the CPU at the given thread counts.
"""
import argparse
import json
import os
import sys
import time


def prompt_ids(n, row=0, vocab=50257):
    return [((i * 7919 + 13 + row * 101) % vocab) for i in range(n)]


def emit(**kw):
    print("RESULT " + json.dumps(kw), flush=True)


def timed_generate(torch, model, ids, new_tokens, device):
    inp = torch.tensor(ids, dtype=torch.long, device=device)
    mask = torch.ones_like(inp)
    if device == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    out = model.generate(input_ids=inp, attention_mask=mask, do_sample=False, max_new_tokens=new_tokens,
                         min_new_tokens=new_tokens, pad_token_id=0)
    if device == "cuda":
        torch.cuda.synchronize()
    dt = time.perf_counter() - t0
    made = out.shape[1] - inp.shape[1]
    return dt, made, out[0, inp.shape[1]:inp.shape[1] + 8].tolist()


def load(model_dir, dtype, device):
    import torch
    from transformers import GPTJForCausalLM
    t0 = time.perf_counter()
    model = GPTJForCausalLM.from_pretrained(model_dir, dtype=dtype)
    model = model.to(device).eval()
    return model, time.perf_counter() - t0


def gpu(args):
    import torch
    import transformers
    cells = [tuple(int(v) for v in c.split("x")) for c in args.cells.split(",")] if args.cells else []
    model, load_s = load(args.model, torch.float16, "cuda")
    emit(kind="hf-info", transformers=transformers.__version__, torch=torch.__version__,
         gpu=torch.cuda.get_device_name(0), load_s=round(load_s, 1))
    for mode in args.modes.split(","):
        model.generation_config.cache_implementation = None if mode == "eager" else "static"
        order = sorted(cells, key=lambda c: -(c[0] + c[1]))  # largest first: its static cache serves the rest
        with torch.inference_mode():
            if order:
                t0 = time.perf_counter()
                timed_generate(torch, model, [prompt_ids(order[0][0])], order[0][1], "cuda")
                emit(kind="hf-warmup", mode=mode, cell="%dx%d" % order[0], s=round(time.perf_counter() - t0, 1))
            for (n_in, n_out) in order:
                try:
                    reps = args.static_repeat if mode == "static" else args.repeat
                    if mode == "static" or reps > 1:
                        timed_generate(torch, model, [prompt_ids(n_in)], n_out, "cuda")  # per-cell warm-up
                    best = None
                    for _ in range(max(1, reps)):
                        dt, made, head = timed_generate(torch, model, [prompt_ids(n_in)], n_out, "cuda")
                        best = dt if best is None else min(best, dt)
                    emit(kind="hf", mode=mode, batch=1, input=n_in, output=n_out, made=made, s=round(best, 4),
                         tok_s=round(made / best, 2), runs=max(1, reps), first_tokens=head)
                except Exception as e:  # keep the rest of the grid
                    emit(kind="hf-error", mode=mode, input=n_in, output=n_out, error=repr(e)[:500])
            if args.ttft:
                try:
                    timed_generate(torch, model, [prompt_ids(args.ttft)], 1, "cuda")
                    best = min(timed_generate(torch, model, [prompt_ids(args.ttft)], 1, "cuda")[0] for _ in range(3))
                    emit(kind="hf-ttft", mode=mode, input=args.ttft, ms=round(best * 1000, 2))
                except Exception as e:
                    emit(kind="hf-error", mode=mode, input=args.ttft, output=1, error=repr(e)[:500])
            if args.batch and mode in args.batch_modes.split(","):
                b, n_in, n_out = (int(v) for v in args.batch.split("x"))
                try:
                    ids = [prompt_ids(n_in, row) for row in range(b)]
                    timed_generate(torch, model, ids, n_out, "cuda")
                    dt, made, _ = timed_generate(torch, model, ids, n_out, "cuda")
                    emit(kind="hf", mode=mode, batch=b, input=n_in, output=n_out, made=made * b, s=round(dt, 4),
                         tok_s=round(made * b / dt, 2))
                except Exception as e:
                    emit(kind="hf-error", mode=mode, batch=b, error=repr(e)[:500])


def cpu(args):
    import torch
    model, load_s = load(args.model, torch.float32, "cpu")
    params = sum(p.numel() for p in model.parameters())
    emit(kind="hf-cpu-info", params=params, load_s=round(load_s, 1), torch=torch.__version__)
    with torch.inference_mode():
        for threads in (int(t) for t in args.threads.split(",")):
            torch.set_num_threads(threads)
            ids = [prompt_ids(args.input)]
            timed_generate(torch, model, ids, 2, "cpu")  # warm-up
            dt, made, head = timed_generate(torch, model, ids, args.output, "cpu")
            # prefill alone, to report decode tokens/s separately
            pf, _, _ = timed_generate(torch, model, ids, 1, "cpu")
            emit(kind="hf-cpu", threads=threads, input=args.input, output=args.output, s=round(dt, 3),
                 tok_s=round(made / dt, 3), prefill_s=round(pf, 3),
                 decode_tok_s=round((made - 1) / max(dt - pf, 1e-9), 3), first_tokens=head)


def init(args):
    """A random checkpoint made on the GPU (fast), distributed as RandomCheckpoint.java makes them:
    matrices and biases N(0, 0.02), LayerNorm weights 1 + N(0, 0.05), LayerNorm biases N(0, 0.02)."""
    import shutil
    import torch
    from safetensors.torch import save_file
    cfg = json.load(open(args.config))
    d, layers, vocab = cfg["n_embd"], cfg["n_layer"], cfg["vocab_size"]
    inner = cfg.get("n_inner") or 4 * d
    g = torch.Generator(device="cuda").manual_seed(1234)

    def rnd(*shape, mean=0.0, std=0.02):
        return (torch.randn(*shape, generator=g, device="cuda") * std + mean).half().cpu()

    t = {"transformer.wte.weight": rnd(vocab, d)}
    for i in range(layers):
        p = "transformer.h.%d." % i
        t[p + "ln_1.weight"] = rnd(d, mean=1.0, std=0.05)
        t[p + "ln_1.bias"] = rnd(d)
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            t[p + "attn." + proj + ".weight"] = rnd(d, d)
        t[p + "mlp.fc_in.weight"] = rnd(inner, d)
        t[p + "mlp.fc_in.bias"] = rnd(inner)
        t[p + "mlp.fc_out.weight"] = rnd(d, inner)
        t[p + "mlp.fc_out.bias"] = rnd(d)
    t["transformer.ln_f.weight"] = rnd(d, mean=1.0, std=0.05)
    t["transformer.ln_f.bias"] = rnd(d)
    t["lm_head.weight"] = rnd(vocab, d)
    t["lm_head.bias"] = rnd(vocab)
    os.makedirs(args.model, exist_ok=True)
    save_file(t, os.path.join(args.model, "model.safetensors"), metadata={"format": "pt"})
    shutil.copy(args.config, os.path.join(args.model, "config.json"))
    emit(kind="init", params=sum(v.numel() for v in t.values()))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["gpu", "cpu", "init"])
    p.add_argument("--config", default="")
    p.add_argument("--model", required=True)
    p.add_argument("--cells", default="")
    p.add_argument("--modes", default="eager,static")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--static-repeat", type=int, default=2)
    p.add_argument("--ttft", type=int, default=0)
    p.add_argument("--batch", default="")
    p.add_argument("--batch-modes", default="eager")
    p.add_argument("--threads", default="2,16")
    p.add_argument("--input", type=int, default=200)
    p.add_argument("--output", type=int, default=32)
    args = p.parse_args()
    {"gpu": gpu, "cpu": cpu, "init": init}[args.what](args)


if __name__ == "__main__":
    sys.exit(main())
