#!/usr/bin/env bash
# The project's full test command (README "Test"): installs what the tests need on a fresh
# Debian machine, then runs typecheck, lint, build and every test. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests run for real: Prometheus, Alertmanager, node-exporter, chromium
# for the HTML report's browser test, and openssl to make the test CA.
declare -A debs=(
  [/usr/bin/prometheus]=prometheus
  [/usr/bin/prometheus-alertmanager]=prometheus-alertmanager
  [/usr/bin/prometheus-node-exporter]=prometheus-node-exporter
  [/usr/bin/chromium]=chromium
  [/usr/bin/openssl]=openssl
)
need=()
for bin in "${!debs[@]}"; do
  [ -x "$bin" ] || need+=("${debs[$bin]}")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "== installing Debian packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

if [ "${CI:-}" = "true" ] || [ ! -d node_modules ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
echo "== typecheck"; npm run -s typecheck
echo "== lint"; npm run -s lint
echo "== build"; npm run -s build
echo "== tests"
results="$(mktemp -d)/jest.json"
status=0
npx jest --ci --json --outputFile="$results" || status=$?
# A plain closing line that log readers understand: "N passed, N failed, N skipped".
node -e 'const r=require(process.argv[1]);console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests+r.numTodoTests} skipped`)' "$results" || true
exit "$status"
