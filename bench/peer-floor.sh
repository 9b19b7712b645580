#!/usr/bin/env bash
# Find which aws-cdk-lib 2.x versions the library's src/ compiles against.
#
# Usage:
#   bench/peer-floor.sh [VERSION ...]          # test each version (default: a fixed list + the declared peer floor)
#   bench/peer-floor.sh --bisect LOW HIGH      # binary-search published 2.x releases in [LOW, HIGH]
#                                              # (LOW expected to fail, HIGH to compile) for the first that compiles
#
# For each version: a temp dir gets a copy of src/, a minimal package.json, and a tsconfig.json whose
# compilerOptions are the repo's own (strict, noUnused*, module/target as in tsconfig.json) minus the
# emit/rootDir bits (types: node only); then `npm install aws-cdk-lib@V constructs@^10 typescript@<repo's ~major.minor>
# @types/node@<repo's major>`
# and `tsc --noEmit -p .`. Prints `aws-cdk-lib V: compiles` or `aws-cdk-lib V: FAILS` plus the first
# compiler errors, then a summary. Always exits 0 (exit 2 only for bad usage).
#
# Environment:
#   TS_VERSION   TypeScript range to install (default: ~X.Y of the repo's node_modules/typescript, else ~6.0)
#   MAX_ERRORS   compiler errors shown per failing version (default 5)
#   KEEP_TMP=1   keep the temp dirs (paths are printed)
# npm's own cache (~/.npm) is reused across runs (--prefer-offline), so re-runs are quick.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
[[ -d "$REPO_ROOT/src" && -f "$REPO_ROOT/tsconfig.json" ]] || { echo "no src/ or tsconfig.json under $REPO_ROOT" >&2; exit 2; }

MAX_ERRORS="${MAX_ERRORS:-5}"
NODE_TYPES="$(node -e 'try { console.log("^" + require(process.argv[1] + "/node_modules/@types/node/package.json").version.split(".")[0]) } catch { console.log("^20") }' "$REPO_ROOT")"
export NPM_CONFIG_LOGLEVEL=error NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false NPM_CONFIG_UPDATE_NOTIFIER=false

if [[ -z "${TS_VERSION:-}" ]]; then
  TS_VERSION="$(node -e '
    try { const v = require(process.argv[1] + "/node_modules/typescript/package.json").version.split(".");
          console.log(`~${v[0]}.${v[1]}`); } catch { console.log("~6.0"); }' "$REPO_ROOT")"
fi

# Declared peer floor (e.g. "^2.150.0" -> 2.150.0), added to the default list.
PEER_FLOOR="$(node -e '
  const p = require(process.argv[1] + "/package.json");
  const r = (p.peerDependencies || {})["aws-cdk-lib"] || "";
  const m = r.match(/\d+\.\d+\.\d+/); console.log(m ? m[0] : "");' "$REPO_ROOT")"

# tsconfig for the scratch project: the repo's compilerOptions, minus what only matters for emit/layout.
TSCONFIG_JSON="$(node -e '
  const c = require(process.argv[1] + "/tsconfig.json").compilerOptions || {};
  for (const k of ["rootDir", "outDir", "declaration", "inlineSourceMap", "inlineSources", "sourceMap", "noEmitOnError"]) delete c[k];
  c.types = ["node"]; c.noEmit = true; c.skipLibCheck = true; // the replay command line reads files
  console.log(JSON.stringify({ compilerOptions: c, include: ["src/**/*.ts"] }, null, 2));' "$REPO_ROOT")"

declare -a RESULTS=()

# check_version V -> prints result line(s); returns 0 if compiles, 1 if fails, 3 if install failed.
check_version() {
  local v="$1" dir rc=0
  dir="$(mktemp -d "${TMPDIR:-/tmp}/peer-floor-$v-XXXXXX")"
  cp -r "$REPO_ROOT/src" "$dir/src"
  printf '{ "name": "peer-floor-check", "version": "0.0.0", "private": true }\n' > "$dir/package.json"
  printf '%s\n' "$TSCONFIG_JSON" > "$dir/tsconfig.json"

  if ! (cd "$dir" && npm install --no-audit --no-fund --prefer-offline --no-package-lock --silent \
          "aws-cdk-lib@$v" "constructs@^10" "typescript@$TS_VERSION" "@types/node@$NODE_TYPES" > npm.log 2>&1); then
    echo "aws-cdk-lib $v: INSTALL FAILED"; tail -n 5 "$dir/npm.log" | sed 's/^/    /'
    rc=3
  elif (cd "$dir" && ./node_modules/.bin/tsc --noEmit --pretty false -p . > tsc.log 2>&1); then
    echo "aws-cdk-lib $v: compiles"
  else
    echo "aws-cdk-lib $v: FAILS"
    { grep 'error TS' "$dir/tsc.log" || cat "$dir/tsc.log"; } | head -n "$MAX_ERRORS" \
      | sed -e "s|$dir/||g" -e 's/^/    /'
    local n; n="$(grep -c 'error TS' "$dir/tsc.log" || true)"
    [[ "$n" -gt "$MAX_ERRORS" ]] && echo "    ... ($n errors in total)"
    rc=1
  fi
  if [[ "${KEEP_TMP:-}" == 1 ]]; then echo "    (kept $dir)"; else rm -rf "$dir"; fi
  case $rc in 0) RESULTS+=("$v compiles");; 1) RESULTS+=("$v FAILS");; *) RESULTS+=("$v install-failed");; esac
  return $rc
}

summary() {
  echo
  echo "== summary (typescript $TS_VERSION, src of $REPO_ROOT) =="
  local r lowest=""
  for r in "${RESULTS[@]}"; do echo "  $r"; done
  lowest="$(printf '%s\n' "${RESULTS[@]}" | awk '$2=="compiles"{print $1}' | sort -V | head -n1)"
  echo "  lowest compiling version tested: ${lowest:-none}"
}

if [[ "${1:-}" == "--bisect" ]]; then
  [[ $# -eq 3 ]] || { echo "usage: $0 --bisect LOW HIGH" >&2; exit 2; }
  lo_v="$2"; hi_v="$3"
  mapfile -t ALL < <(npm view aws-cdk-lib versions --json | node -e '
    const [lo, hi] = process.argv.slice(1);
    const key = v => v.split(".").map(Number);
    const cmp = (a, b) => { const x = key(a), y = key(b); for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i]; return 0; };
    const vs = JSON.parse(require("fs").readFileSync(0, "utf8")).filter(v => /^2\.\d+\.\d+$/.test(v));
    vs.filter(v => cmp(v, lo) >= 0 && cmp(v, hi) <= 0).sort(cmp).forEach(v => console.log(v));' "$lo_v" "$hi_v")
  [[ ${#ALL[@]} -ge 2 ]] || { echo "need at least two published versions in [$lo_v, $hi_v]" >&2; exit 2; }
  lo=0; hi=$(( ${#ALL[@]} - 1 ))
  echo "bisecting ${#ALL[@]} releases ${ALL[0]} .. ${ALL[$hi]} (assumes ${ALL[0]} fails, ${ALL[$hi]} compiles)"
  while (( hi - lo > 1 )); do
    mid=$(( (lo + hi) / 2 ))
    if check_version "${ALL[$mid]}"; then hi=$mid; else lo=$mid; fi
  done
  summary
  echo "  first compiling release after ${ALL[$lo]}: ${ALL[$hi]}"
  exit 0
fi

if [[ $# -gt 0 ]]; then
  VERSIONS=("$@")
else
  VERSIONS=(2.100.0 2.120.0 2.130.0 2.140.0 2.150.0)
  [[ -n "$PEER_FLOOR" && ! " ${VERSIONS[*]} " =~ " $PEER_FLOOR " ]] && VERSIONS+=("$PEER_FLOOR")
fi

for v in "${VERSIONS[@]}"; do check_version "$v" || true; done
summary
exit 0
