#!/usr/bin/env bash
# Builds an installable one-folder program into dist/synthesis-reviewer with PyInstaller
# (about a minute on 2 cores). Run scripts/bootstrap first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
.venv/bin/python -m pip install -q -e ".[packaging]"
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
  packaging/reviewer-app.spec
tar -C dist -czf dist/synthesis-reviewer-linux-x86_64.tar.gz synthesis-reviewer
echo "built dist/synthesis-reviewer (run dist/synthesis-reviewer/synthesis-reviewer --help)"
