#!/usr/bin/env bash
# Checks a built program (packaging/build.sh first) the way a user would run it, headless:
# the libraries it needs from the system, the CLI on a fresh SQLite workspace (import, list,
# show, attach, annotate, verdict, score, export, verify, import-bundle), the same on PostgreSQL,
# a signed bundle through a real Secret Service keyring, and the window rendered offscreen and
# under Xvfb with its PDF, icons and plots. Every run of the program is traced for network
# connections; there must be none (PostgreSQL's loopback step aside).
#
#   packaging/smoke-test.sh [DIST_FOLDER]     (default dist/synthesis-reviewer)
#
# Steps whose tools are missing here (strace, xvfb-run, dbus-run-session + gnome-keyring-daemon,
# the PostgreSQL server) are reported as skipped. Exits 1 when any check fails. scripts/test (and
# so CI) runs it after the pytest suite. Screenshots and logs stay in the folder printed at the end.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
app_dir="$(cd "${1:-$root/dist/synthesis-reviewer}" && pwd)"
exe="$app_dir/synthesis-reviewer"
internal="$app_dir/_internal"
demo="$internal/reviewer_app/resources/demo"
work="$(mktemp -d "${TMPDIR:-/tmp}/synthesis-smoke.XXXXXX")"
mkdir -p "$work"/{out,err,net,config,cache,share,run}
chmod 700 "$work/run"

passed=0
failed=0
skipped=0
ok() { echo "ok    $*"; passed=$((passed + 1)); }
bad() { echo "FAIL  $*"; failed=$((failed + 1)); }
skip() { echo "skip  $*"; skipped=$((skipped + 1)); }

if [[ ! -x "$exe" ]]; then
  echo "smoke-test: $exe not found; run packaging/build.sh first" >&2
  exit 1
fi

# Keep everything the program writes (workspace, known signers, Qt and font caches, keyrings)
# in the scratch folder, and start from none of the caller's settings.
export REVIEWER_APP_DATA_DIR="$work/data" REVIEWER_APP_REVIEWER=smoke
export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/share"
export XDG_RUNTIME_DIR="$work/run" QT_QPA_PLATFORM=offscreen
unset REVIEWER_APP_DB PYTHON_KEYRING_BACKEND DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

trace=()
trace_dir="$work/net" # section 7 checks every trace in here
if command -v strace >/dev/null; then
  trace=(strace -f -qq -e trace=connect -e signal=none)
fi

# run NAME STATUS COMMAND...: run COMMAND (traced), expect exit STATUS; output in out/ and err/.
run() {
  local name=$1 want=$2
  shift 2
  local prefix=()
  ((${#trace[@]})) && prefix=("${trace[@]}" -o "$trace_dir/$name")
  # A modal error box in screenshot mode would wait for a click forever: bound every run.
  "${prefix[@]}" timeout "${SMOKE_TIMEOUT:-300}" "$@" >"$work/out/$name" 2>"$work/err/$name"
  local status=$?
  if [[ $status == "$want" ]]; then
    ok "$name"
    return 0
  fi
  bad "$name: exit status $status, expected $want"
  tail -n 8 "$work/err/$name" | sed 's/^/        /'
  return 1
}
out() { cat "$work/out/$1"; }
# expect NAME DESCRIPTION PATTERN: the output of step NAME matches the extended regex PATTERN.
expect() {
  if grep -Eq -- "$3" "$work/out/$1"; then ok "$2"; else bad "$2 (output of $1: $(head -c 300 "$work/out/$1"))"; fi
}

echo "smoke-test: $app_dir ($(du -sh "$app_dir" | cut -f1)); scratch folder $work"

# --- 1. System libraries -----------------------------------------------------------------------
# Everything must resolve inside _internal except glibc and the display/GPU libraries the
# target machine provides (packaging/README.md). A library outside this list means the README
# is wrong; one that is not found breaks the plugin that needs it.
system_ok='^(linux-vdso|ld-linux-x86-64|libc|libm|libdl|libpthread|librt|libresolv|libutil)\.so|^lib(GL|GLX|GLdispatch|EGL|xcb|drm|wayland-client|wayland-cursor|wayland-egl)\.so'
ldd_report="$work/ldd.txt"
while IFS= read -r -d '' lib; do
  LD_LIBRARY_PATH="$internal" ldd "$lib" 2>/dev/null | awk -v lib="${lib#"$internal"/}" -v dir="$internal/" '
    /not found/ { print "missing", $1, lib }
    $2 == "=>" && $3 ~ /^\// && index($3, dir) != 1 { print "system", $1, lib }'
done < <(find "$internal" -name '*.so*' -type f -print0) | sort -u >"$ldd_report"
unexpected=$(awk '$1 == "system" { print $2 }' "$ldd_report" | sort -u | grep -Ev "$system_ok")
if [[ -z $unexpected ]]; then
  ok "system libraries used: $(awk '$1 == "system" { print $2 }' "$ldd_report" | sort -u | grep -Ev '^(linux-vdso|ld-linux|libc|libm|libdl|libpthread|librt|libresolv|libutil)\.' | tr '\n' ' ')"
else
  bad "undocumented system libraries: $(echo "$unexpected" | tr '\n' ' ')"
fi
# Wayland and KMS libraries are optional: without them Qt falls back to xcb (XWayland).
needed_missing=$(awk '$1 == "missing" && $2 !~ /^lib(wayland|drm)/' "$ldd_report")
if [[ -z $needed_missing ]]; then
  ok "no bundled library has an unresolved dependency"
else
  bad "unresolved: $(echo "$needed_missing" | awk '{ print $2 " (" $3 ")" }' | sort -u | tr '\n' ' ')"
fi
glibc=$({ find "$internal" -name '*.so*' -type f; echo "$exe"; } | xargs objdump -T 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
echo "      newest glibc symbol needed: ${glibc:-unknown}"
[[ -e "$internal/PySide6/Qt/plugins/platformthemes/libqgtk3.so" ]] &&
  bad "the GTK3 platform theme is shipped (reviewer-app.spec drops it)" ||
  ok "the GTK3 platform theme is not shipped"

# --- 2. CLI on a fresh SQLite workspace --------------------------------------------------------
db="$work/workspace.sqlite3"
pdf="$demo/pdfs/2407.17856v4.pdf"
record=RPT-60A47641 # report-sparse-multimodal-alignment.txt, which cites that PDF
run help 0 "$exe" --help && expect help "--help names the program and its commands" \
  '^Usage: synthesis-reviewer .*'
run version 0 "$exe" --version && expect version "--version" 'version [0-9]'
run import 0 "$exe" --db "$db" import "$demo"/records/*.txt &&
  expect import "demo records imported (migrations ran)" "^$record	report	"
run list 0 "$exe" --db "$db" list
[[ $(out list | wc -l) == $(find "$demo/records" -name '*.txt' | wc -l) ]] &&
  ok "list shows every demo record" || bad "list: $(out list)"
run show-json 0 "$exe" --db "$db" show "$record" --json &&
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); assert r["id"] == sys.argv[2] and len(r["claims"]) == 10, r["id"]' \
    "$work/out/show-json" "$record" && ok "show --json parses, 10 claims" || bad "show --json"
run attach 0 "$exe" --db "$db" attach "$record" "$pdf" &&
  expect attach "PDF attached and matched to its reference" 'arxiv.org/abs/2407.17856v4'
run annotate 0 "$exe" --db "$db" annotate "$record" --claim 1 --pdf "$pdf" --stance supports \
  --quote "fine-tuning BERT on GLUE may overlook word order information"
run verdict 0 "$exe" --db "$db" verdict "$record" --claim 1 --verdict supports
# the evidence finder with the sentence model shipped inside the program (no network: section 7)
run suggest 0 "$exe" --db "$db" suggest "$record" --claim 1 --top 3 --json &&
  python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); assert len(c) == 3 and c[0]["rank"] == 1 and c[0]["page"] >= 1, c' \
    "$work/out/suggest" && ok "suggest ranks passages of the attached PDF" || bad "suggest"
for reviewer in smoke second; do
  run "score-$reviewer" 0 "$exe" --db "$db" score "$record" --reviewer "$reviewer" \
    --evidence-strength high --citation-grounding medium --uncertainty-disclosure low \
    --reproducibility-status medium --review-score 7.5 --recommendation minor-revision --submit
done
run tier 0 "$exe" --db "$db" tier "$record" && expect tier "tier computed" '"tier":'
run annotations 0 "$exe" --db "$db" annotations "$record" &&
  expect annotations "annotations exported as W3C JSON-LD" 'anno.jsonld'
run bad-import 2 "$exe" --db "$db" import "$pdf" &&
  ok "a PDF given to import is refused with exit status 2"

# --- 3. Bundles: unsigned (no keyring here), then tampered -------------------------------------
bundle="$work/unsigned.zip"
run export-no-keyring 2 "$exe" --db "$db" export "$record" --out "$bundle" &&
  ok "export without a keyring refuses to sign silently"
run export-unsigned 0 "$exe" --db "$db" export "$record" --out "$bundle" --include-pdfs \
  --allow-unsigned && expect export-unsigned "unsigned bundle written" 'UNSIGNED'
run verify-unsigned 2 "$exe" verify "$bundle" && expect verify-unsigned "verify reports it unsigned" '^unsigned'
run import-unsigned 2 "$exe" --db "$work/second.sqlite3" import-bundle "$bundle"
# imported by a colleague: unsigned rows are never taken in the importing reviewer's own name
run import-allow-unsigned 0 env REVIEWER_APP_REVIEWER=colleague \
  "$exe" --db "$work/second.sqlite3" import-bundle --allow-unsigned "$bundle" &&
  expect import-allow-unsigned "bundle merged (its members passed the JSON schemas)" "^$record	new	2 sheets"
run show-json-second 0 "$exe" --db "$work/second.sqlite3" show "$record" --json
cmp -s "$work/out/show-json" "$work/out/show-json-second" &&
  ok "the record reads the same after the round trip" || bad "record differs after import-bundle"
python3 - "$bundle" "$work/tampered.zip" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w") as dst:
    for item in src.infolist():
        data = src.read(item)
        if item.filename.startswith("reviews/"):
            data += b"\n"  # still valid JSON, but no longer what the manifest hashed
        dst.writestr(item, data)
EOF
run verify-tampered 2 "$exe" verify "$work/tampered.zip" &&
  expect verify-tampered "a changed member is reported as altered" '^altered	'

# --- 4. Signed bundle through a real Secret Service keyring ------------------------------------
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  signed="$work/signed.zip"
  run signed 0 timeout 120 dbus-run-session -- bash -c '
    echo -n smoke | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 3
    # second signs their own sheet first, so that the bundle of smoke carries it signed by them
    "$1" --db "$2" export "$3" --out "$4.second.zip" --reviewer second || exit 7
    "$1" --db "$2" export "$3" --out "$4" || exit 4
    "$1" verify "$4" || exit 5
    "$1" --db "$5" import-bundle "$4" || exit 6' _ "$exe" "$db" "$record" "$signed" \
    "$work/third.sqlite3" &&
    expect signed "signed export, verify OK, import without --allow-unsigned" "^OK	.*signed by smoke"
else
  skip "signed bundle: needs dbus-run-session and gnome-keyring-daemon (apt install gnome-keyring)"
fi

# --- 5. PostgreSQL (psycopg's bundled libpq) ---------------------------------------------------
if [[ -x "$root/.venv/bin/python" ]] && compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  # tests/pg_server.py starts a throwaway server on loopback; its details come back as shell words.
  if pg=$(cd "$root" && .venv/bin/python -c '
import shlex
from tests.pg_server import start_server
s = start_server()
print(shlex.join([s.url_for("postgres"), str(s.bin_dir), str(s.data_dir), " ".join(s.run_as)]))
' 2>"$work/err/pg-start"); then
    eval "pg=($pg)"
    pg_stop() { ${pg[3]} "${pg[1]}/pg_ctl" -D "${pg[2]}" -m immediate stop >/dev/null 2>&1; rm -rf "$(dirname "${pg[2]}")"; }
    trap pg_stop EXIT
    # these steps' loopback connections are expected, so their traces are not checked below
    trace_dir="$work/net-postgresql"
    mkdir -p "$trace_dir"
    run pg-import 0 "$exe" --db "${pg[0]}" import "$demo/records/report-sparse-multimodal-alignment.txt"
    run pg-show 0 "$exe" --db "${pg[0]}" show "$record" --json
    trace_dir="$work/net"
    cmp -s "$work/out/show-json" "$work/out/pg-show" &&
      ok "PostgreSQL workspace holds the same record" || bad "PostgreSQL record differs"
  else
    bad "could not start PostgreSQL: $(tail -c 300 "$work/err/pg-start")"
  fi
else
  skip "PostgreSQL: needs .venv (scripts/bootstrap) and the PostgreSQL server binaries"
fi

# --- 6. The window ------------------------------------------------------------------------------
shots="$work/screenshots"
mkdir -p "$shots"
run self-check 0 "$exe" --self-check "$db" "$shots/self-check.png"
sed 's/^/      /' "$work/out/self-check"
run gui-demo-offscreen 0 "$exe" gui --demo --screenshot "$shots/demo-offscreen.png" &&
  [[ -s "$shots/demo-offscreen.png" ]] && ok "gui --demo --screenshot wrote a PNG (offscreen)"
if command -v xvfb-run >/dev/null; then
  run gui-demo-xcb 0 env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$exe" gui --demo --screenshot "$shots/demo-xcb.png" &&
    [[ -s "$shots/demo-xcb.png" ]] && ok "the same under Xvfb (the xcb platform plugin)"
else
  skip "xcb: needs xvfb-run (apt install xvfb xauth)"
fi

# --- 7. No network ------------------------------------------------------------------------------
if ((${#trace[@]})); then
  connections=$(grep -h 'connect(' "$work"/net/* 2>/dev/null | grep -E 'AF_INET6?' || true)
  if [[ -z $connections ]]; then
    ok "no step opened a network connection ($(ls "$work/net" | wc -l) traced runs)"
  else
    bad "network connections: $(echo "$connections" | head -5)"
  fi
else
  skip "network check: needs strace"
fi

echo "screenshots: $shots"
echo "smoke-test: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
