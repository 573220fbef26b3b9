#!/usr/bin/env bash
# Render the HTML report of the demo mailbox to screenshots/report.png with headless
# Chromium, to see (and show in the README) what the page looks like.
#
#   scripts/render-report-png.sh [REPORT.html] [OUT.png]
#
# Without arguments it builds rebound, writes the demo report to a temporary file and
# renders that. Needs Chromium (Debian: apt-get install -y chromium). The page loads
# nothing from the network; the flags below keep Chromium itself quiet too.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "render-report-png: $chromium not found; install it (apt-get install -y chromium) or set CHROMIUM" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

html=${1:-}
out=${2:-screenshots/report.png}
if [ -z "$html" ]; then
  cargo build --quiet --bin rebound
  html="$work/report.html"
  "${CARGO_TARGET_DIR:-target}/debug/rebound" report --demo --format html -o "$html"
fi
mkdir -p "$(dirname "$out")"

"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$out" --window-size=1200,1600 "file://$(realpath "$html")" 2>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2
  exit 1
}
echo "wrote $out"
