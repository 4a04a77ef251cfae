#!/usr/bin/env python3
"""Builds the benchmark workloads of BENCHMARKS.md from source trees already on this machine.

  (a) typical staged change: a git repository of four real crates (regex-syntax, clap_builder, git2,
      libgit2-sys from the local cargo registry), committed, then 20 files modified with ~2,000 added
      lines in total and 3 secrets, staged.
  (b) large staged change: a small committed repository, then ~100 MB of added source text (.rs, .c,
      .h files from the cargo registry) staged, with 3 secrets.
  (c) directory scan: ~117 MB of every regular file (any type) from the cargo registry copied into a
      plain folder, as a checkout of many projects looks (coach scan PATH, gitleaks dir, rg, ...).
  COACH_BENCH_B_MB / COACH_BENCH_C_MB change the sizes of (b) and (c) (defaults 136 and 117).

Usage: scripts/gen-workloads.py OUT_DIR   (prints the workload paths; idempotent: rebuilds OUT_DIR)
The secrets are fake GitHub tokens with valid checksums (never issued) so every scanner can see them.
"""
import os
import random
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

REGISTRY = Path.home() / ".cargo/registry/src"
CRATES_A = ["regex-syntax-", "clap_builder-", "git2-", "libgit2-sys-"]
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ENV = dict(
    os.environ,
    GIT_CONFIG_NOSYSTEM="1",
    GIT_CONFIG_GLOBAL="/dev/null",
    GIT_AUTHOR_NAME="Bench",
    GIT_AUTHOR_EMAIL="bench@example.test",
    GIT_COMMITTER_NAME="Bench",
    GIT_COMMITTER_EMAIL="bench@example.test",
)


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, stdout=subprocess.DEVNULL)


def github_token(prefix, rng):
    body = "".join(rng.choice(B62) for _ in range(30))
    n = zlib.crc32(body.encode())
    check = ""
    while n:
        n, r = divmod(n, 62)
        check = B62[r] + check
    return f"{prefix}{body}{check.rjust(6, '0')}"


def crate_dir(prefix):
    for index in sorted(REGISTRY.iterdir()):
        hits = sorted(p for p in index.iterdir() if p.name.startswith(prefix) and p.name[len(prefix)].isdigit())
        if hits:
            return hits[-1]
    sys.exit(f"crate {prefix}* not found under {REGISTRY}")


def text_files(root, exts):
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink() and p.suffix in exts:
            yield p


def workload_a(out, rng):
    repo = out / "a-typical"
    repo.mkdir(parents=True)
    for prefix in CRATES_A:
        src = crate_dir(prefix)
        shutil.copytree(src, repo / src.name, symlinks=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    candidates = [p for p in text_files(repo, {".rs"}) if ".git" not in p.parts and p.stat().st_size > 4000]
    chosen = rng.sample(candidates, 20)
    secret_files = set(chosen[i] for i in (3, 11, 17))
    for n, path in enumerate(chosen):
        lines = path.read_text(errors="replace").splitlines()
        at = len(lines) // 2
        added = [f"    let added_{n}_{i} = compute_value({i}, \"label {i}\", &context);" for i in range(100)]
        if path in secret_files:
            added[50] = f"    let token = \"{github_token('ghp_', rng)}\";"
        lines[at:at] = added
        path.write_text("\n".join(lines) + "\n")
    git(repo, "add", "-A")
    return repo


def workload_b(out, rng, target):
    repo = out / "b-large"
    repo.mkdir(parents=True)
    (repo / "README.md").write_text("large staged change\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    total = 0
    copied = []
    for p in text_files(REGISTRY, {".rs", ".c", ".h"}):
        size = p.stat().st_size
        if size > 8 * 1024 * 1024:
            continue
        dest = repo / "src" / p.relative_to(REGISTRY)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, dest)
        copied.append(dest)
        total += size
        if total >= target:
            break
    for i, path in enumerate(rng.sample(copied, 3)):
        with path.open("a") as f:
            f.write(f"\n// deploy credentials\nconst TOKEN_{i}: &str = \"{github_token('ghp_', rng)}\";\n")
    git(repo, "add", "-A")
    return repo, total, len(copied)


def workload_c(out, target):
    tree = out / "c-tree"
    total = files = 0
    for p in sorted(REGISTRY.rglob("*")):
        if not p.is_file() or p.is_symlink() or p.stat().st_size > 8 * 1024 * 1024:
            continue
        dest = tree / p.relative_to(REGISTRY)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, dest)
        total += p.stat().st_size
        files += 1
        if total >= target:
            break
    return tree, total, files


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1]).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(20261126)
    a = workload_a(out, rng)
    print(f"a={a}")
    mb = lambda var, default: int(os.environ.get(var, default)) * 1000 * 1000
    b, size, files = workload_b(out, rng, mb("COACH_BENCH_B_MB", 136))
    print(f"b={b}  # {files} files, {size / 1e6:.1f} MB staged")
    c, size, files = workload_c(out, mb("COACH_BENCH_C_MB", 117))
    print(f"c={c}  # {files} files, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
