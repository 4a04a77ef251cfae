#!/usr/bin/env python3
"""Summarises hyperfine JSON exports as markdown: median and min-max wall time, mean CPU
(user+system), and each command's ratio to a baseline command (by median wall and by CPU).

Usage: scripts/bench-report.py RESULT.json [MORE.json...] --baseline 'git diff --cached'
"""
import json
import statistics
import sys


def main():
    args = sys.argv[1:]
    base = None
    if "--baseline" in args:
        i = args.index("--baseline")
        base = args[i + 1]
        del args[i : i + 2]
    rows = []
    for f in args:
        for r in json.load(open(f))["results"]:
            rows.append((r["command"], statistics.median(r["times"]), min(r["times"]), max(r["times"]), r["user"] + r["system"], len(r["times"])))
    b = next((r for r in rows if r[0] == base), None)
    print("| command | runs | median wall | min–max wall | CPU (user+sys) | × baseline (wall) | × baseline (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, med, lo, hi, cpu, n in rows:
        rw = f"{med / b[1]:.2f}" if b else "–"
        rc = f"{cpu / b[4]:.2f}" if b else "–"
        print(f"| `{name}` | {n} | {med * 1000:.0f} ms | {lo * 1000:.0f}–{hi * 1000:.0f} ms | {cpu * 1000:.0f} ms | {rw} | {rc} |")


if __name__ == "__main__":
    main()
