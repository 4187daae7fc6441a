#!/usr/bin/env python3
"""Reads RESULT lines (ours: CudaBench, HF: hf_gpu_bench.py) from the logs given and prints the grid."""
import json
import sys


def load(paths):
    rows = []
    for p in paths:
        try:
            with open(p) as f:
                for line in f:
                    if line.startswith("RESULT "):
                        rows.append(json.loads(line[7:]))
        except FileNotFoundError:
            pass
    return rows


def main():
    rows = load(sys.argv[1:])
    info = [r for r in rows if r["kind"] in ("hf-info", "ours-info")]
    for r in info:
        print("#", json.dumps(r))
    ours = {(r["batch"], r["input"], r["output"]): r for r in rows if r["kind"] == "ours" and r.get("mode") in ("graph", "batched")}
    eng = {(r["batch"], r["input"], r["output"]): r for r in rows if r["kind"] == "ours" and r.get("mode") == "engine"}
    hf = {}
    for r in rows:
        if r["kind"] == "hf":
            hf[(r["mode"], r["batch"], r["input"], r["output"])] = r
    keys = sorted(set(ours) | {(b, i, o) for (_, b, i, o) in hf})
    print("%-5s %-5s %-5s | %9s %9s | %9s %9s | %7s %7s" % ("batch", "in", "out", "ours", "engine", "hf-eager", "hf-static",
                                                         "/eager", "/static"))
    worst_static = None
    for k in keys:
        o = ours.get(k, {}).get("tok_s")
        e = eng.get(k, {}).get("tok_s")
        he = hf.get(("eager",) + k, {}).get("tok_s")
        hs = hf.get(("static",) + k, {}).get("tok_s")
        r1 = o / he if o and he else None
        r2 = o / hs if o and hs else None
        if r2 is not None and k[0] == 1:
            worst_static = r2 if worst_static is None else min(worst_static, r2)
        f = lambda v: "%9.1f" % v if v else "%9s" % "-"
        g = lambda v: "%7.2f" % v if v else "%7s" % "-"
        print("%-5d %-5d %-5d | %s %s | %s %s | %s %s" % (k + (f(o), f(e), f(he), f(hs), g(r1), g(r2))))
    for r in rows:
        if r["kind"] in ("ours-ttft", "hf-ttft"):
            print("TTFT %-10s %-6s in=%d: %.1f ms" % (r["kind"], r.get("mode", ""), r["input"], r["ms"]))
    if worst_static is not None:
        print("worst batch-1 ratio ours / hf-static: %.2f" % worst_static)
    for r in rows:
        if r["kind"].endswith("error"):
            print("ERROR", json.dumps(r))


if __name__ == "__main__":
    main()
