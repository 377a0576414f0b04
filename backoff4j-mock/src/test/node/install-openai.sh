#!/usr/bin/env bash
# Installs the official `openai` npm package into a build-local folder for NodeSdkCompatibilityTest.
# Usage: install-openai.sh TARGET_DIR VERSION
# Never fails the build for a missing node/npm: the test skips with a message instead.
set -uo pipefail
target_dir="$1"
version="$2"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "[backoff4j-mock] node/npm not found: the openai npm compatibility test will be skipped"
  exit 0
fi
installed="$target_dir/node_modules/openai/package.json"
if [ -f "$installed" ] && grep -q "\"version\": \"$version\"" "$installed"; then
  echo "[backoff4j-mock] openai@$version already installed in $target_dir"
  exit 0
fi
mkdir -p "$target_dir"
# --legacy-peer-deps: the SDK's optional peers (AWS signing, zod, ws) are not needed here.
if npm install --prefix "$target_dir" --no-audit --no-fund --no-save --legacy-peer-deps \
    --loglevel=error "openai@$version"; then
  echo "[backoff4j-mock] installed openai@$version into $target_dir"
else
  echo "[backoff4j-mock] WARNING: npm install openai@$version failed; the npm compatibility test will be skipped"
fi
exit 0
