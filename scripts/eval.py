#!/usr/bin/env python3
"""Scores coach against the labelled evaluation corpus (tests/eval/, made by scripts/gen-eval-corpus.py).

Runs `coach scan --format json` over tests/eval/corpus in an isolated environment (empty HOME and state
folder, no user or repository config, no global Git config), then matches findings to labels by file
and line:

- a finding whose line range overlaps a positive label's range detects that positive (true positive);
- any other finding, on a labelled negative or on an unlabelled line, is a false positive;
- recall = detected positives / positives; blocking recall = positives detected by at least one finding
  whose verdict is `block` / positives; precision = true-positive findings / findings;
- a positive labelled `"expect": "warn"` is a weak value (below the strength bar of
  src/rules/validate/strength.rs): it counts in recall and precision, is left out of blocking recall,
  and `weak_blocked` counts those that blocked (the bar says none should);
- per confidence: each detected positive counts under the surest `confidence` of the findings that
  detected it (checksum > prefix > keyword-entropy > entropy), so the blocking recall of each level
  shows which certainty the default verdicts leave warning.

    python3 scripts/eval.py [--coach PATH] [--json] [--misses] [--false-positives]

The coach binary: --coach, else $COACH_BIN, else $CARGO_TARGET_DIR or target/ (release, then debug),
else `coach` on PATH. Exit 0 when scored, 2 when coach could not be run or reported errors.
python3 stdlib only.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import defaultdict

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
EVAL = os.path.join(ROOT, "tests", "eval")


def find_coach(explicit):
    if explicit:
        return explicit
    if os.environ.get("COACH_BIN"):
        return os.environ["COACH_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    for profile in ("release", "debug"):
        p = os.path.join(target, profile, "coach")
        if os.path.isfile(p):
            return p
    p = shutil.which("coach")
    if p:
        return p
    sys.exit("eval.py: no coach binary: build it (cargo build) or pass --coach PATH / set COACH_BIN")


def run_coach(coach, corpus):
    coach = os.path.abspath(coach) if os.sep in coach else coach
    if os.sep in coach and not os.path.isfile(coach):
        sys.exit(f"eval.py: no coach binary at {coach}")
    with tempfile.TemporaryDirectory(prefix="coach-eval-") as tmp:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "COACH_STATE_DIR": os.path.join(tmp, "state"),
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_STATE_HOME": os.path.join(tmp, "xdg-state"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "NO_COLOR": "1",
        }
        proc = subprocess.run([coach, "scan", "--no-repo-config", "--format", "json", "."], cwd=corpus, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode(errors="replace"))
        sys.exit(f"eval.py: coach exited {proc.returncode}")
    report = json.loads(proc.stdout)
    if report.get("errors"):
        sys.exit(f"eval.py: coach could not scan part of the corpus: {report['errors'][:5]}")
    return report


# Surest last; "(none)" for reports of coach versions without the field.
CONFIDENCE = ["(none)", "entropy", "keyword-entropy", "prefix", "checksum"]


def load_labels(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ratio(n, d):
    return round(n / d, 4) if d else None


def score(labels, findings):
    by_file = defaultdict(list)
    for lab in labels:
        by_file[lab["file"]].append(lab)
    state = {id(l): {"detected": False, "blocked": False, "kind_match": False, "rules": [], "confidence": None}
             for l in labels}
    tp_findings, fps = [], []
    for f in findings:
        path = f["path"][2:] if f["path"].startswith("./") else f["path"]
        lo, hi = f["line"], f.get("end_line") or f["line"]
        hits = [l for l in by_file.get(path, []) if l["line"] <= hi and lo <= l["end_line"]]
        pos = [l for l in hits if l["label"] == "positive"]
        if pos:
            tp_findings.append(f)
            for l in pos:
                s = state[id(l)]
                s["detected"] = True
                s["blocked"] |= f["verdict"] == "block"
                s["kind_match"] |= f["kind"] == l["kind"]
                s["rules"].append(f["rule_id"])
                conf = f.get("confidence", "(none)")
                if s["confidence"] is None or CONFIDENCE.index(conf) > CONFIDENCE.index(s["confidence"]):
                    s["confidence"] = conf
        else:
            neg = [l for l in hits if l["label"] == "negative"]
            for l in neg:
                state[id(l)]["detected"] = True
                state[id(l)]["rules"].append(f["rule_id"])
            fps.append({"file": path, "line": lo, "rule_id": f["rule_id"], "verdict": f["verdict"],
                        "on": neg[0].get("negative", "negative") if neg else "unlabelled line"})

    # every file has one primary kind/layout (its first label); false positives count against it
    primary = {}
    for lab in labels:
        primary.setdefault(lab["file"], lab)

    def group(key):
        g = defaultdict(lambda: {"positives": 0, "detected": 0, "blocked": 0, "tp_findings": 0, "fp_findings": 0})
        for lab in labels:
            if lab["label"] != "positive" or key not in lab:
                continue
            row = g[lab[key]]
            row["positives"] += 1
            row["detected"] += state[id(lab)]["detected"]
            row["blocked"] += state[id(lab)]["blocked"]
        for f in tp_findings:
            path = f["path"][2:] if f["path"].startswith("./") else f["path"]
            if key in primary[path]:
                g[primary[path][key]]["tp_findings"] += 1
        for fp in fps:
            lab = primary.get(fp["file"])
            if lab is None or key in lab:
                g[lab[key] if lab else "(no label)"]["fp_findings"] += 1
        out = {}
        for name in sorted(g):
            row = g[name]
            n = row["tp_findings"] + row["fp_findings"]
            out[name] = {**row, "recall": ratio(row["detected"], row["positives"]),
                         "blocking_recall": ratio(row["blocked"], row["positives"]),
                         "precision": ratio(row["tp_findings"], n)}
        return out

    positives = [l for l in labels if l["label"] == "positive"]
    negatives = [l for l in labels if l["label"] == "negative"]
    weak = [l for l in positives if l.get("expect") == "warn"]
    blockable = [l for l in positives if l.get("expect") != "warn"]
    per_confidence = {}
    for lab in blockable:
        st = state[id(lab)]
        row = per_confidence.setdefault(st["confidence"] or "(not detected)",
                                        {"positives": 0, "detected": 0, "blocked": 0})
        row["positives"] += 1
        row["detected"] += st["detected"]
        row["blocked"] += st["blocked"]
    for row in per_confidence.values():
        row["blocking_recall"] = ratio(row["blocked"], row["positives"])
    detected = sum(state[id(l)]["detected"] for l in positives)
    blocked = sum(state[id(l)]["blocked"] for l in blockable)
    kind_match = sum(state[id(l)]["kind_match"] for l in positives)
    flagged = sum(state[id(l)]["detected"] for l in negatives)
    neg_sorts = defaultdict(lambda: {"negatives": 0, "flagged": 0})
    for l in negatives:
        neg_sorts[l["negative"]]["negatives"] += 1
        neg_sorts[l["negative"]]["flagged"] += state[id(l)]["detected"]
    overall = {
        "positives": len(positives), "detected": detected, "blocked": blocked, "negatives": len(negatives),
        "negatives_flagged": flagged, "findings": len(findings), "tp_findings": len(tp_findings),
        "fp_findings": len(fps),
        "weak": len(weak), "weak_detected": sum(state[id(l)]["detected"] for l in weak),
        "weak_blocked": sum(state[id(l)]["blocked"] for l in weak),
        "recall": ratio(detected, len(positives)), "blocking_recall": ratio(blocked, len(blockable)),
        "precision": ratio(len(tp_findings), len(findings)), "kind_agreement": ratio(kind_match, detected),
        "negative_flag_rate": ratio(flagged, len(negatives)),
    }
    misses = [{"file": l["file"], "line": l["line"], "kind": l["kind"], "layout": l["layout"],
               "blocked": state[id(l)]["blocked"], "detected": state[id(l)]["detected"]}
              for l in blockable if not state[id(l)]["blocked"]]
    return {"overall": overall, "per_confidence": per_confidence, "per_layout": group("layout"), "per_kind": group("kind"),
            "per_password_variant": group("variant"),
            "negatives": {k: dict(v) for k, v in sorted(neg_sorts.items())}, "false_positives": fps,
            "not_blocked": misses}


def fmt(x):
    return "   -  " if x is None else f"{x:6.3f}"


def table(title, rows):
    print(f"\n{title}")
    print(f"  {'name':34} {'pos':>4} {'found':>5} {'recall':>6} {'block':>5} {'b.rec':>6} {'tpF':>4} {'fpF':>4} {'prec':>6}")
    order = sorted(rows.items(), key=lambda kv: (kv[1]["recall"] if kv[1]["recall"] is not None else 2, kv[0]))
    for name, r in order:
        print(f"  {name[:34]:34} {r['positives']:4} {r['detected']:5} {fmt(r['recall'])} {r['blocked']:5} "
              f"{fmt(r['blocking_recall'])} {r['tp_findings']:4} {r['fp_findings']:4} {fmt(r['precision'])}")


def markdown(result):
    o = result["overall"]
    print("| figure | value |\n|---|---|")
    print(f"| recall | {o['recall']:.4f} ({o['detected']}/{o['positives']}) |")
    print(f"| blocking recall | {o['blocking_recall']:.4f} ({o['blocked']}/{o['positives'] - o['weak']}) |")
    print(f"| weak values blocked (expect warn) | {o['weak_blocked']}/{o['weak']} |")
    print(f"| precision | {o['precision']:.4f} ({o['tp_findings']}/{o['findings']} findings) |")
    print(f"| labelled negatives flagged | {o['negatives_flagged']}/{o['negatives']} |")
    print("\n| confidence | positives | blocked | blocking recall |\n|---|---:|---:|---:|")
    for name in sorted(result["per_confidence"], key=lambda c: CONFIDENCE.index(c) if c in CONFIDENCE else -1):
        r = result["per_confidence"][name]
        print(f"| {name} | {r['positives']} | {r['blocked']} | {r['blocking_recall']:.3f} |")
    for title, rows in (("layout", result["per_layout"]), ("kind", result["per_kind"]),
                        ("password shape", result["per_password_variant"])):
        print(f"\n| {title} | positives | recall | blocking recall | precision |\n|---|---:|---:|---:|---:|")
        order = sorted(rows.items(), key=lambda kv: (kv[1]["recall"] if kv[1]["recall"] is not None else 2, kv[0]))
        for name, r in order:
            if r["positives"] == 0 and r["fp_findings"] == 0:
                continue
            f = lambda x: "-" if x is None else f"{x:.3f}"
            print(f"| {name} | {r['positives']} | {f(r['recall'])} | {f(r['blocking_recall'])} | {f(r['precision'])} |")


def main():
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `eval.py | head` ends quietly
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--coach", help="path to the coach binary")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--markdown", action="store_true", help="overall and per-layout/per-kind tables as Markdown (docs/EVALUATION.md)")
    ap.add_argument("--misses", action="store_true", help="list every positive that was not blocked")
    ap.add_argument("--false-positives", action="store_true", help="list every false-positive finding")
    ap.add_argument("--report", help="score this saved `coach scan --format json` report instead of running coach")
    args = ap.parse_args()
    labels = load_labels(os.path.join(EVAL, "labels.jsonl"))
    if args.report:
        with open(args.report, encoding="utf-8") as f:
            report = json.load(f)
    else:
        report = run_coach(find_coach(args.coach), os.path.join(EVAL, "corpus"))
    result = score(labels, report["findings"])
    result["coach_version"] = report.get("tool", {}).get("version")
    if args.json:
        json.dump(result, sys.stdout, indent=1, sort_keys=True)
        print()
        return
    if args.markdown:
        markdown(result)
        return
    o = result["overall"]
    print(f"coach {result['coach_version']} on tests/eval: {o['positives']} positives, {o['negatives']} labelled negatives, "
          f"{o['findings']} findings")
    print(f"  recall           {o['recall']:.4f}  ({o['detected']}/{o['positives']})")
    print(f"  blocking recall  {o['blocking_recall']:.4f}  ({o['blocked']}/{o['positives'] - o['weak']};"
          f" weak values, expected to warn: {o['weak_blocked']}/{o['weak']} blocked, {o['weak_detected']} found)")
    print(f"  precision        {o['precision']:.4f}  ({o['tp_findings']}/{o['findings']} findings on a positive)")
    print(f"  negatives flagged {o['negative_flag_rate']:.4f}  ({o['negatives_flagged']}/{o['negatives']});"
          f" kind agreement on detected positives {o['kind_agreement']}")
    print("\nblocking recall per confidence (each detected positive under its surest finding)")
    print(f"  {'confidence':18} {'pos':>4} {'block':>5} {'b.rec':>6}")
    for name in sorted(result["per_confidence"], key=lambda c: CONFIDENCE.index(c) if c in CONFIDENCE else -1):
        r = result["per_confidence"][name]
        print(f"  {name:18} {r['positives']:4} {r['blocked']:5} {fmt(r['blocking_recall'])}")
    table("per layout (worst recall first; pos=positives, found=detected, block=blocked, tpF/fpF=true/false-positive findings)",
          result["per_layout"])
    table("per kind (worst recall first)", result["per_kind"])
    table("passwords by shape", result["per_password_variant"])
    print("\nhard negatives flagged, by sort")
    for k, v in result["negatives"].items():
        print(f"  {k:24} {v['flagged']:3}/{v['negatives']}")
    if args.false_positives or result["false_positives"]:
        fps = result["false_positives"]
        print(f"\nfalse-positive findings ({len(fps)})")
        for fp in fps if args.false_positives else fps[:15]:
            print(f"  {fp['file']}:{fp['line']}  {fp['rule_id']} ({fp['verdict']}) on {fp['on']}")
        if not args.false_positives and len(fps) > 15:
            print(f"  ... {len(fps) - 15} more (--false-positives)")
    if args.misses:
        print(f"\npositives not blocked ({len(result['not_blocked'])})")
        for m in result["not_blocked"]:
            print(f"  {m['file']}:{m['line']}  {m['kind']} / {m['layout']}  {'warned' if m['detected'] else 'missed'}")


if __name__ == "__main__":
    main()
