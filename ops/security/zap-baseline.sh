#!/usr/bin/env bash
# OWASP ZAP baseline (passive) scan of a running OC Suite.
#
#   ops/security/zap-baseline.sh <base URL>        e.g. ops/security/zap-baseline.sh http://127.0.0.1:3000
#
# Runs the ZAP container ghcr.io/zaproxy/zaproxy:stable with
#   zap-baseline.py -t <base URL> -c ops/security/zap-rules.tsv -r report.html
# (spider for a minute, passive rules only: headers, cookies, error pages; no attacks), writes
# report.html into the current directory and exits non-zero when a FAIL rule of
# ops/security/zap-rules.tsv fires (WARN rules are reported only) or when ZAP itself fails.
#
# ZAP cannot run on the dev machines (there is a docker client but no Docker daemon, and ZAP only
# ships as a container image), so this script is not run by the test suite: the weekly
# .github/workflows/weekly.yml job (zap-baseline) builds the app and runs scan-app.sh, which starts
# it and runs this script.
# tests/ops/security-files.test.ts only checks that this file and the rules file are well formed.
# Anywhere with Docker: start the app (`npm run build && npm start`) and run this script.
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: $0 <base URL>   (e.g. http://127.0.0.1:3000)" >&2
  exit 64
fi
target="$1"
case "$target" in
  http://* | https://*) ;;
  *) echo "zap-baseline: the base URL must start with http:// or https:// (got: $target)" >&2; exit 64 ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rules="$here/zap-rules.tsv"
image="${ZAP_IMAGE:-ghcr.io/zaproxy/zaproxy:stable}"
[[ -f "$rules" ]] || { echo "zap-baseline: $rules not found" >&2; exit 66; }
command -v docker > /dev/null || { echo "zap-baseline: docker is required (ZAP runs in a container)" >&2; exit 69; }

# ZAP reads its config from and writes its report to /zap/wrk, as the image's own user:
# give it a scratch directory laid out like the repository, then copy the report out.
wrk="$(mktemp -d)"
trap 'rm -rf "$wrk"' EXIT
mkdir -p "$wrk/ops/security"
cp "$rules" "$wrk/ops/security/zap-rules.tsv"
chmod -R a+rwX "$wrk"

# --network host: the app listens on 127.0.0.1 of this machine (scripts/start.mjs default).
# -I: warnings alone do not fail the run; only FAIL rules (exit 1) or errors (exit 3) do.
set +e
docker run --rm --network host -v "$wrk:/zap/wrk:rw" "$image" \
  zap-baseline.py -t "$target" -c ops/security/zap-rules.tsv -r report.html -I
status=$?
set -e

if [[ -f "$wrk/report.html" ]]; then
  cp "$wrk/report.html" ./report.html
  echo "zap-baseline: report written to $(pwd)/report.html"
fi
case "$status" in
  0) echo "zap-baseline: no FAIL rules fired" ;;
  1) echo "zap-baseline: at least one FAIL rule fired (see report.html)" >&2 ;;
  *) echo "zap-baseline: ZAP exited with $status (scan error)" >&2 ;;
esac
exit "$status"
