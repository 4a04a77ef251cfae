#!/bin/sh
# Builds coach in release mode, installs it on PATH, and shows it blocking a staged secret in a demo
# repository. Safe to rerun: it reinstalls the same binary and rewrites only coach's own hooks.
#
#   ./install.sh                      install to ~/.local/bin (PREFIX=/usr/local ./install.sh to change)
#   COACH_INSTALL_HOOKS=yes ./install.sh   also install the hooks in the repository you run it from
#   COACH_INSTALL_HOOKS=no  ./install.sh   never ask about hooks
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}

if ! command -v cargo >/dev/null 2>&1; then
    echo "install.sh: cargo (the Rust toolchain) is not installed." >&2
    echo "install.sh: install it from https://rustup.rs or your package manager, then run ./install.sh again." >&2
    exit 2
fi
if ! command -v git >/dev/null 2>&1; then
    echo "install.sh: git is not installed; coach is a Git hook and needs it." >&2
    exit 2
fi

echo "install.sh: building coach (release; the first build takes a few minutes)..."
cargo install --path "$here" --locked --root "$prefix" --force --quiet
bin="$prefix/bin/coach"
echo "install.sh: installed $bin ($("$bin" --version))"
# Man pages for coach and each subcommand, where `man` looks for a --root install.
if "$bin" man --dir "$prefix/share/man/man1" 2>/dev/null; then
    echo "install.sh: man pages in $prefix/share/man/man1 (man coach)"
fi
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "install.sh: $prefix/bin is not on your PATH; add it: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac

echo
echo "install.sh: showing the main job on a demo repository (examples/demo.sh):"
echo
"$here/examples/demo.sh" "$bin"
echo

# Offer the hooks in the repository install.sh was run from, but never in coach's own checkout: its
# rule examples are deliberately credential-shaped.
top=$(git rev-parse --show-toplevel 2>/dev/null || true)
if [ -n "$top" ] && [ "$top" != "$here" ]; then
    answer=${COACH_INSTALL_HOOKS:-ask}
    if [ "$answer" = ask ] && [ -t 0 ]; then
        printf 'install.sh: install coach hooks in %s? [Y/n] ' "$top"
        read -r reply || reply=n
        case $reply in [nN]*) answer=no ;; *) answer=yes ;; esac
    fi
    if [ "$answer" = yes ]; then
        (cd "$top" && "$bin" install)
    else
        echo "install.sh: to protect $top, run: (cd '$top' && coach install)"
    fi
else
    echo "install.sh: to protect a repository, run \`coach install\` inside it."
fi
