#!/usr/bin/env bash
# The before/after figure of the construct side's bad-input table (issue 10).
#
# Usage: scripts/bad-input-figure/run.sh [COMMIT]     (default: HEAD)
#
# Runs the table of this working tree (test/validation/bad-input.cases.ts) against the code at
# COMMIT, in a scratch worktree removed afterwards, and prints how each row fares there:
#   clear        the error (or warning) the row expects
#   other-error  an Error with another message: judge by hand whether it names the prop, the value
#                and what is allowed
#   crash        a TypeError
#   silent       no error and no warning
# e.g. `scripts/bad-input-figure/run.sh ed9b9ee` for the code before the validation work.
set -euo pipefail
commit=${1:-HEAD}
root=$(git rev-parse --show-toplevel)
scratch="$(mktemp -d)/tree"
git -C "$root" worktree add --detach "$scratch" "$commit" >/dev/null
trap 'git -C "$root" worktree remove --force "$scratch"' EXIT
ln -s "$(readlink -f "$root/node_modules")" "$scratch/node_modules"
mkdir -p "$scratch/test/validation"
cp "$root/test/validation/bad-input.cases.ts" "$scratch/test/validation/"
cp "$root/scripts/bad-input-figure/classify.ts" "$scratch/test/validation/classify.test.ts"
(cd "$scratch" && OUT="$scratch/figure.json" npx jest --coverage=false --rootDir "$scratch" test/validation/classify.test.ts >/dev/null 2>&1) || true
node -e '
const rows = require(process.argv[1]);
const count = {};
for (const r of rows) count[r.cls] = (count[r.cls] ?? 0) + 1;
console.log(`${rows.length} rows:`, count);
for (const r of rows.filter(r => r.cls !== "clear")) console.log(`${r.cls.padEnd(11)} [${r.area}] ${r.input}${r.message ? `\n            ${r.message.split("\n")[0]}` : ""}`);
' "$scratch/figure.json"
