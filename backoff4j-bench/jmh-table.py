#!/usr/bin/env python3
"""Prints a JMH JSON result file (-rf json) as a markdown table, with overhead over the baselines.

Usage: jmh-table.py [results/jmh.json]

Columns: benchmark, mode, score ± error (ns/op), gc.alloc.rate.norm (B/op, needs -prof gc), and the
mean of each fork (forks that disagree point at noise: JIT luck, GC, or a busy machine).
For SuccessPathOverhead it also prints each library's overhead over `direct` (first-attempt success)
and over `oneRetryDirect` (one failure then success), and checks the success-path target:
backoff4j's overhead <= half of the faster peer's, and its gc.alloc.rate.norm equal to direct's.
Standard library only.
"""
import json
import math
import sys

ALLOC = "gc.alloc.rate.norm"
PEERS = ("resilience4j", "failsafe")


def fmt(x, digits=2):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{digits}f}"


def load(path):
    with open(path, encoding="utf-8") as f:
        runs = json.load(f)
    rows = []
    for run in runs:
        name = run["benchmark"].rsplit(".", 1)
        cls = name[0].rsplit(".", 1)[-1]
        primary = run["primaryMetric"]
        alloc = run.get("secondaryMetrics", {}).get(ALLOC)
        rows.append({
            "class": cls,
            "method": name[1],
            "mode": run["mode"],
            "score": primary["score"],
            "error": primary["scoreError"],
            "unit": primary["scoreUnit"],
            "alloc": alloc["score"] if alloc else None,
            "forks_means": [sum(f) / len(f) for f in primary.get("rawData", []) if f],
            "alloc_error": alloc["scoreError"] if alloc else None,
            "forks": run.get("forks"),
            "iterations": run.get("measurementIterations"),
            "time": run.get("measurementTime"),
            "jvm": run.get("vmVersion") or run.get("jdkVersion"),
        })
    return rows


def table(rows):
    out = ["| Benchmark | Mode | Score ± Error | Units | gc.alloc.rate.norm (B/op) | Per-fork means |",
           "|---|---|---:|---|---:|---|"]
    for r in rows:
        forks = ", ".join(fmt(m, 1) for m in r["forks_means"])
        out.append(f"| {r['class']}.{r['method']} | {r['mode']} | {fmt(r['score'])} ± {fmt(r['error'])} "
                   f"| {r['unit']} | {fmt(r['alloc'], 3)} | {forks} |")
    return "\n".join(out)


def overheads(rows):
    by = {r["method"]: r for r in rows if r["class"] == "SuccessPathOverhead"}
    out = []
    groups = [("First-attempt success, overhead over `direct`", "direct",
               ["backoff4j", "resilience4j", "failsafe"]),
              ("One failure then success, overhead over `oneRetryDirect`", "oneRetryDirect",
               ["oneRetryBackoff4j", "oneRetryResilience4j", "oneRetryFailsafe"])]
    for title, base_name, names in groups:
        base = by.get(base_name)
        present = [n for n in names if n in by]
        if not base or not present:
            continue
        out.append(f"\n{title} ({base_name}: {fmt(base['score'])} ns/op, {fmt(base['alloc'], 3)} B/op):\n")
        out.append("| Library | Overhead (ns/op) | Extra allocation (B/op) |")
        out.append("|---|---:|---:|")
        for n in present:
            r = by[n]
            extra_alloc = None if r["alloc"] is None or base["alloc"] is None else r["alloc"] - base["alloc"]
            out.append(f"| {n} | {fmt(r['score'] - base['score'])} | {fmt(extra_alloc, 3)} |")
    if all(n in by for n in ("direct", "backoff4j") + PEERS):
        d = by["direct"]
        ours = by["backoff4j"]["score"] - d["score"]
        peer = min(PEERS, key=lambda n: by[n]["score"])
        peer_overhead = by[peer]["score"] - d["score"]
        time_ok = ours <= peer_overhead / 2
        a_ours, a_direct = by["backoff4j"]["alloc"], d["alloc"]
        # JMH's normalised allocation of a non-allocating benchmark is a tiny positive number
        # (TLAB bookkeeping spread over many ops); below 0.5 B/op rounds to the same whole bytes.
        alloc_ok = a_ours is not None and a_direct is not None and abs(a_ours - a_direct) < 0.5
        out.append("")
        out.append(f"Target (success path): backoff4j overhead {fmt(ours)} ns/op vs. half of the faster peer's "
                   f"({peer}: {fmt(peer_overhead)} / 2 = {fmt(peer_overhead / 2)}) -> "
                   f"{'MET' if time_ok else 'NOT MET'}; "
                   f"allocation {fmt(a_ours, 3)} vs direct {fmt(a_direct, 3)} B/op -> "
                   f"{'MET' if alloc_ok else 'NOT MET'}")
    return "\n".join(out)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "backoff4j-bench/results/jmh.json"
    rows = load(path)
    if not rows:
        sys.exit(f"{path}: no results")
    r0 = rows[0]
    print(f"JVM {r0['jvm']}; {r0['forks']} fork(s) x {r0['iterations']} x {r0['time']} measurement\n")
    print(table(rows))
    print(overheads(rows))


if __name__ == "__main__":
    main()
