#!/usr/bin/env bash
# Builds the self-contained one-folder program dist/synthesis-reviewer/ with PyInstaller, and
# dist/synthesis-reviewer-linux-x86_64.tar.gz of it (about a minute on 2 cores).
# Run scripts/bootstrap first: PyInstaller copies the X11/xcb libraries Qt needs from this
# machine into the bundle, so they must be installed here. Then check the result with
# packaging/smoke-test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ ! -x .venv/bin/python ]]; then
  echo "build.sh: no .venv here; run scripts/bootstrap first" >&2
  exit 1
fi
start=$SECONDS
# The packaging extra pins PyInstaller and its hooks (pyproject.toml).
.venv/bin/python -m pip install -q -e ".[packaging]"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
  --workpath build/pyinstaller packaging/reviewer-app.spec
tar -C dist -czf dist/synthesis-reviewer-linux-x86_64.tar.gz synthesis-reviewer
echo "built dist/synthesis-reviewer ($(du -sh dist/synthesis-reviewer | cut -f1)," \
  "tarball $(du -sh dist/synthesis-reviewer-linux-x86_64.tar.gz | cut -f1))" \
  "in $((SECONDS - start)) s"
echo "check it with packaging/smoke-test.sh; run it as dist/synthesis-reviewer/synthesis-reviewer"
