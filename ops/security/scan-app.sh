#!/usr/bin/env bash
# The ZAP baseline against a freshly started OC Suite, as weekly.yml runs it and as anyone with
# Docker runs it locally after `npm ci && npm run build`:
#
#   bash ops/security/scan-app.sh            (PORT=3000 by default)
#
# Starts the production build the way `npm start` does (scripts/start.mjs) on the embedded
# default (no DATABASE_URL: PGlite in a scratch data folder, the local job executor, the demo
# seed), waits for /api/health, runs zap-baseline.sh against it (report.html in the current
# directory), stops the app and exits with the scan's status. The app's output goes to app.log
# (uploaded next to the report by the workflow). A scratch data folder, not .data/, so a
# developer's own embedded database is not scanned or touched.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

port="${PORT:-3000}"
[[ -f .next/BUILD_ID ]] || { echo "scan-app: no production build: run \`npm run build\` first" >&2; exit 66; }
data="$(mktemp -d)"
env -u DATABASE_URL -u REDIS_URL OCSUITE_DATA_DIR="$data" node scripts/start.mjs --port "$port" > app.log 2>&1 &
app=$!
stop() {
  kill -TERM "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT

# First start migrates and seeds the embedded database: allow three minutes.
for _ in $(seq 1 90); do
  if curl -fsS "http://127.0.0.1:$port/api/health" > /dev/null 2>&1; then break; fi
  if ! kill -0 "$app" 2>/dev/null; then echo "scan-app: the app exited before it was healthy (app.log):" >&2; tail -40 app.log >&2; exit 70; fi
  sleep 2
done
curl -fsS "http://127.0.0.1:$port/api/health" > /dev/null || { echo "scan-app: no healthy app on port $port after 3 minutes (app.log)" >&2; exit 70; }

bash ops/security/zap-baseline.sh "http://127.0.0.1:$port"
