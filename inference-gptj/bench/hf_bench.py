"""HF transformers side of cpu-vs-hf.sh: GPTJForCausalLM in fp32 on the CPU.

Modes:
  --logits-ids 1,2,3   print {"last": [...], "argmax": [...]} like `gptj logits` (correctness check)
  otherwise            for each --threads value: generate --output tokens (greedy, EOS ignored) from
                       random prompts of --input tokens, batch --batch; print one JSON line per run.
tokens_per_s = generated tokens / wall time of generate() (prefill included), as `gptj bench` reports it.
"""
import argparse
import json
import time

import torch
from transformers import GPTJForCausalLM


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--threads", default="2")
    p.add_argument("--input", type=int, default=200)
    p.add_argument("--output", type=int, default=32)
    p.add_argument("--batch", default="1")
    p.add_argument("--logits-ids")
    a = p.parse_args()

    model = GPTJForCausalLM.from_pretrained(a.model, dtype=torch.float32)
    model.eval()
    vocab = model.config.vocab_size

    with torch.inference_mode():
        if a.logits_ids:
            torch.set_num_threads(int(a.threads.split(",")[-1]))
            ids = torch.tensor([[int(x) for x in a.logits_ids.split(",")]])
            logits = model(ids).logits[0]
            print(json.dumps({"last": logits[-1].tolist(), "argmax": logits.argmax(-1).tolist()}))
            return
        for threads in [int(t) for t in a.threads.split(",")]:
            torch.set_num_threads(threads)
            for batch in [int(b) for b in a.batch.split(",")]:
                g = torch.Generator().manual_seed(1)
                ids = torch.randint(0, vocab, (batch, a.input), generator=g)
                mask = torch.ones_like(ids)
                kw = dict(do_sample=False, pad_token_id=0, attention_mask=mask)
                model.generate(ids[:, :16], max_new_tokens=4, min_new_tokens=4,
                               **{**kw, "attention_mask": mask[:, :16]})  # warm-up
                t0 = time.perf_counter()
                model(ids, attention_mask=mask)
                prefill = time.perf_counter() - t0
                t0 = time.perf_counter()
                out = model.generate(ids, max_new_tokens=a.output, min_new_tokens=a.output, **kw)
                total = time.perf_counter() - t0
                generated = (out.shape[1] - a.input) * batch
                decode = max(total - prefill, 1e-9)
                print(json.dumps({
                    "engine": "hf", "threads": threads, "batch": batch, "input": a.input, "output": a.output,
                    "prefill_ms": round(prefill * 1000, 2),
                    "ms_per_token": round(decode * 1000 / max(a.output - 1, 1), 2),
                    "tokens_per_s": round(generated / total, 2),
                    "decode_tokens_per_s": round(batch * max(a.output - 1, 1) / decode, 2),
                    "total_ms": round(total * 1000, 2)}), flush=True)


if __name__ == "__main__":
    main()
