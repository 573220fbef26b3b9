#!/usr/bin/env bash
# Screenshots of the real program on the demo mailbox, for the README.
# Runs `rebound --demo` in tmux, types keys, captures the pane with its colours
# (capture-pane -e), turns that into HTML (scripts/ansi2html.py) and photographs it
# with headless Chromium. Needs tmux, python3 and chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

cols=${COLS:-120}
rows=${ROWS:-34}
out=screenshots
bin=${CARGO_TARGET_DIR:-target}/debug/rebound
cargo build --quiet
mkdir -p "$out"
work=$(mktemp -d)
socket="rebound-shots-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() { tmux_ kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# A session that outlives each shot, so the server does not exit between them.
tmux_ new-session -d -s keep "sleep 3600"

wait_for() {
  for _ in $(seq 1 100); do
    if tmux_ capture-pane -p -t shot | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "screenshots: timed out waiting for '$1'" >&2
  tmux_ capture-pane -p -t shot >&2
  return 1
}

# shoot NAME WAIT_TEXT KEYS...: a fresh program, keys typed one by one, then a picture.
shoot() {
  local name=$1 ready=$2
  shift 2
  tmux_ kill-session -t shot 2>/dev/null || true
  rm -f "$out/$name.png"
  # A fresh scratch HOME and no XDG/NO_COLOR settings: the default theme, no config of
  # yours, and the triage states (opening a bounce marks it seen) land in the scratch
  # directory, so every shot starts from the same screen and your own states are left alone.
  mkdir -p "$work/$name.home"
  tmux_ new-session -d -s shot -x "$cols" -y "$rows" \
    "env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME -u REBOUND_DATA_DIR -u NO_COLOR \
      HOME=$work/$name.home TERM=xterm-256color $bin --demo; sleep 60"
  wait_for "scan finished"
  for k in "$@"; do
    tmux_ send-keys -t shot "$k"
    sleep 0.15
  done
  wait_for "$ready"
  sleep 0.3
  tmux_ capture-pane -e -p -N -t shot > "$work/$name.ans"
  python3 scripts/ansi2html.py "$cols" "$rows" < "$work/$name.ans" > "$work/$name.html"
  # 15px DejaVu Sans Mono advances 9.03px; 18px lines; 12/10px padding.
  local w=$(( cols * 903 / 100 + 26 )) h=$(( rows * 18 + 20 ))
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$(mktemp -d -p "$work")" \
    --screenshot="$PWD/$out/$name.png" --window-size="$w,$h" "file://$work/$name.html" \
    >"$work/chromium.log" 2>&1 || true
  if [ ! -s "$out/$name.png" ]; then
    echo "screenshots: chromium wrote no $out/$name.png:" >&2
    grep -v dbus "$work/chromium.log" >&2
    return 1
  fi
  echo "screenshots: $out/$name.png"
}

shoot list "scan finished"
# The lead picture: a hard bounce in the split view, its verdict and advice in sight.
shoot split "guidance" f h a r d Enter Enter
shoot filter "filter>" f 5 ' ' s o f t
shoot summary "summary by" t Tab
shoot help "keys (? or Esc closes)" '?'
