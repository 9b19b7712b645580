#!/usr/bin/env bash
# Fails when the build changed or added files that git tracks or would track:
# a stale API.md, a rewritten snapshot, a projen file out of date, an eslint --fix.
set -euo pipefail
changes=$(git status --porcelain --untracked-files=all)
if [ -n "$changes" ]; then
  echo "The build changed files that are committed (or would be):" >&2
  echo "$changes" >&2
  git --no-pager diff --stat >&2 || true
  echo "Regenerate them locally (npx projen build; npx projen test:update for snapshots), review and commit." >&2
  exit 1
fi
echo "Working tree clean after the build."
