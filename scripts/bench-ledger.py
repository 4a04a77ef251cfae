#!/usr/bin/env python3
"""Issue #15: the pre-commit hook on a clean change as the behaviour ledger grows.

A clean commit is the common case, and it is the one that reads the ledger most: the hook looks up
the author's open blocks to record which were fixed. This script makes a repository, lets the real
hook block one staged token (so the ledger holds a real repository id, author and event), copies
that event until the ledger holds N blocks, unstages the token and times the hook on the clean
change, for each N and each binary, round after round.

Usage: scripts/bench-ledger.py [--runs N] [SIZES...]        (default sizes: 0 500 2000 8000)
Environment: COACH (default target/release/coach), COACH_BEFORE (a second binary, timed in the
same rounds), OUT (results folder, default target/bench-ledger).
"""
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def github_token(rng):
    body = "".join(rng.choice(B62) for _ in range(30))
    n, check = zlib.crc32(body.encode()), ""
    while n:
        n, r = divmod(n, 62)
        check = B62[r] + check
    return f"ghp_{body}{check.rjust(6, '0')}"


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, stdout=subprocess.DEVNULL)


def prepare(work, blocks, coach):
    """A repository with a clean index and a ledger (in its own state folder) of `blocks` blocks."""
    repo, state = work / f"repo-{blocks}", work / f"state-{blocks}"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / "README.md").write_text("demo\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "init")
    rng = random.Random(blocks)
    (repo / "config.py").write_text(f'token = "{github_token(rng)}"\n')
    git(repo, "add", "config.py")
    env = dict(os.environ, COACH_STATE_DIR=str(state))
    r = subprocess.run([coach, "hook", "pre-commit"], cwd=repo, env=env, capture_output=True)
    assert r.returncode == 1, r.stderr.decode()
    db = sqlite3.connect(state / "ledger.sqlite")
    cols = [c[1] for c in db.execute("PRAGMA table_info(events)") if c[1] != "id"]
    (first,) = db.execute(f"SELECT {', '.join(cols)} FROM events WHERE action = 'blocked'").fetchall()
    row = dict(zip(cols, first))
    rows = []
    for i in range(blocks):
        # Retries of a few secrets, as a person's ledger grows: one fingerprint per ten blocks.
        row = dict(row, time=row["time"] - blocks + i, fingerprint=f"{first[cols.index('fingerprint')]}-{i // 10}")
        rows.append(tuple(row[c] for c in cols))
    db.execute("DELETE FROM events")
    db.executemany(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
    db.commit()
    db.close()
    git(repo, "rm", "-q", "--cached", "config.py")
    return repo, state


def run(cmd, repo, state):
    # Each run starts from the same ledger: a clean commit records fixes, which would close the blocks.
    for side in ("run.sqlite-wal", "run.sqlite-shm"):
        (state / side).unlink(missing_ok=True)
    shutil.copy(state / "ledger.sqlite", state / "run.sqlite")
    env = dict(os.environ, COACH_STATE_DIR=str(state), COACH_LEDGER=str(state / "run.sqlite"))
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=repo, env=env, capture_output=True)
    wall = time.perf_counter() - start
    assert r.returncode == 0, r.stderr.decode()
    return wall


def main():
    args = sys.argv[1:]
    runs = 10
    if args[:1] == ["--runs"]:
        runs, args = int(args[1]), args[2:]
    sizes = [int(a) for a in args] or [0, 500, 2000, 8000]
    coaches = [("coach", os.environ.get("COACH", str(ROOT / "target/release/coach")))]
    if os.environ.get("COACH_BEFORE"):
        coaches.append(("coach (before)", os.environ["COACH_BEFORE"]))
    out = Path(os.environ.get("OUT", str(ROOT / "target/bench-ledger")))
    out.mkdir(parents=True, exist_ok=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in sizes:
            # Made by the oldest binary: a newer one migrates its schema, an older one would
            # refuse a newer ledger (and then skip the ledger altogether).
            repo, state = prepare(work, n, coaches[-1][1])
            cmds = [(name, [c, "hook", "pre-commit"]) for name, c in coaches]
            cmds.append(("git diff --cached", ["git", "diff", "--cached"]))
            for _, cmd in cmds:
                run(cmd, repo, state)
            times = {name: [] for name, _ in cmds}
            for _ in range(runs):
                for name, cmd in cmds:
                    times[name].append(run(cmd, repo, state))
            results[n] = {k: statistics.median(v) for k, v in times.items()}
    names = [name for name, _ in coaches] + ["git diff --cached"]
    lines = ["| blocks in the ledger | " + " | ".join(names) + " |", "|" + " ---: |" * (len(names) + 1)]
    for n, r in results.items():
        lines.append(f"| {n} | " + " | ".join(f"{r[k] * 1000:.1f} ms" for k in names) + " |")
    table = "\n".join(lines)
    print(f"clean commit, hook pre-commit, median of {runs} runs\n\n{table}")
    (out / "ledger.md").write_text(table + "\n")
    (out / "ledger.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
