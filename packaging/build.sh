#!/usr/bin/env bash
# Builds the self-contained one-folder program dist/synthesis-reviewer/ with PyInstaller, and
# dist/synthesis-reviewer-linux-x86_64.tar.gz of it (about a minute on 2 cores).
# Run scripts/bootstrap first: PyInstaller copies the X11/xcb libraries Qt needs from this
# machine into the bundle, so they must be installed here. Then check the result with
# packaging/smoke-test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# scripts/bootstrap installs the packaging extra, which pins PyInstaller and its hooks
# (pyproject.toml).
if [[ ! -x .venv/bin/pyinstaller ]]; then
  echo "build.sh: no PyInstaller in .venv; run scripts/bootstrap first" >&2
  exit 1
fi
start=$SECONDS
mkdir -p build
log=build/pyinstaller.log
if ! .venv/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
  --workpath build/pyinstaller packaging/reviewer-app.spec >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "build.sh: PyInstaller failed (its last lines are above; all of it in $log)" >&2
  exit 1
fi
# Warnings PyInstaller gives for every build of this app and that change nothing in it:
# optional modules of dependencies we do not use (pyqtgraph's OpenGL, SQLAlchemy's MySQL and
# pysqlite2 drivers, psycopg's uuid speed-up) and Windows DLLs named in ctypes code.
harmless='pyqtgraph\.opengl|"(MySQLdb|pysqlite2|psycopg_binary\._uuid)" not found|Library (shell32|ole32|user32|kernel32|advapi32) required via ctypes'
grep -E 'WARNING|ERROR' "$log" | grep -Ev "$harmless" | sed 's/^[0-9]* //' || true
tar -C dist -czf dist/synthesis-reviewer-linux-x86_64.tar.gz synthesis-reviewer
echo "built dist/synthesis-reviewer ($(du -sh dist/synthesis-reviewer | cut -f1)," \
  "tarball $(du -sh dist/synthesis-reviewer-linux-x86_64.tar.gz | cut -f1))" \
  "in $((SECONDS - start)) s"
echo "check it with packaging/smoke-test.sh; run it as dist/synthesis-reviewer/synthesis-reviewer"
