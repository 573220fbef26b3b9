#!/usr/bin/env bash
# The README's animated tour, made from the real program: `rebound --demo`, filter to
# 5.7 (security and policy), open a bounce in the split view, export the filtered list.
#
# Runs the binary in tmux, captures the pane with its colours (capture-pane -e) after
# each step, turns every capture into HTML (scripts/ansi2html.py) and a PNG (headless
# Chromium), and joins the frames into screenshots/tour.gif with ImageMagick. Fails if
# the GIF is 2 MB or more. Nothing is staged or committed.
#
#   ./scripts/tour-gif.sh              writes screenshots/tour.gif
#   COLS=100 ROWS=28 ./scripts/tour-gif.sh
#
# Needs tmux, python3, chromium and imagemagick (apt-get install chromium imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."

cols=${COLS:-110}
rows=${ROWS:-30}
out=screenshots/tour.gif
limit=$((2 * 1024 * 1024))
for tool in tmux python3 /usr/bin/chromium; do
  command -v "$tool" >/dev/null || { echo "tour-gif: $tool is missing (see the header of this script)" >&2; exit 2; }
done
# Debian's imagemagick installs convert under /usr/bin; a stand-in elsewhere on PATH
# would not make GIFs.
convert=/usr/bin/convert
[ -x "$convert" ] || { echo "tour-gif: ImageMagick is missing: apt-get install imagemagick" >&2; exit 2; }

cargo build --quiet
bin=$PWD/target/debug/rebound
[ -n "${CARGO_TARGET_DIR:-}" ] && bin=$CARGO_TARGET_DIR/debug/rebound
work=$(mktemp -d)
socket="rebound-tour-$$"
tmux_() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() { tmux_ kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The export writes into the working directory: use the scratch one.
tmux_ new-session -d -s tour -x "$cols" -y "$rows" -c "$work" \
  "env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_CACHE_HOME -u REBOUND_DATA_DIR -u NO_COLOR \
    TERM=xterm-256color HOME=$work $bin --demo; sleep 600"

wait_for() {
  for _ in $(seq 1 100); do
    if tmux_ capture-pane -p -t tour | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "tour-gif: timed out waiting for '$1'" >&2
  tmux_ capture-pane -p -t tour >&2
  return 1
}

n=0
delays=()
# frame HUNDREDTHS: capture the screen as it is now, shown that long in the GIF.
frame() {
  n=$((n + 1))
  local name
  name=$(printf 'f%03d' "$n")
  sleep 0.2
  tmux_ capture-pane -e -p -N -t tour > "$work/$name.ans"
  python3 scripts/ansi2html.py "$cols" "$rows" < "$work/$name.ans" > "$work/$name.html"
  # 15px DejaVu Sans Mono advances 9.03px; 18px lines; 12/10px padding (as screenshots.sh).
  local w=$(( cols * 903 / 100 + 26 )) h=$(( rows * 18 + 20 ))
  /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/chromium" \
    --screenshot="$work/$name.png" --window-size="$w,$h" "file://$work/$name.html" \
    >"$work/chromium.log" 2>&1 || true
  [ -s "$work/$name.png" ] || { echo "tour-gif: chromium wrote no frame $n" >&2; cat "$work/chromium.log" >&2; return 1; }
  delays+=("$1")
}

keys() { for k in "$@"; do tmux_ send-keys -t tour "$k"; sleep 0.12; done; }

wait_for "scan finished"
frame 200                               # the list, counts in the top bar
keys f; wait_for "filter>"; frame 60
for k in 5 . 7; do keys "$k"; frame 35; done
keys Enter; wait_for "5.7"; frame 200    # only 5.7.x left
keys j; frame 40
keys j; frame 60
keys Enter; wait_for "guidance"; frame 350   # hops, report with verdict, advice
keys Escape; frame 60
keys e; wait_for "export to:"; frame 150
keys Enter; wait_for "wrote"; frame 300      # the export, as the status line says

args=()
for i in $(seq 1 "$n"); do
  args+=(-delay "${delays[$((i - 1))]}" "$work/$(printf 'f%03d' "$i").png")
done
mkdir -p "$(dirname "$out")"
"$convert" -loop 0 "${args[@]}" -layers Optimize -colors 128 "$out"
size=$(stat -c %s "$out")
echo "tour-gif: $out, $n frames, $((size / 1024)) kB"
if [ "$size" -ge "$limit" ]; then
  echo "tour-gif: $out is over 2 MB: use fewer frames, a smaller COLS/ROWS or fewer colours" >&2
  exit 1
fi
