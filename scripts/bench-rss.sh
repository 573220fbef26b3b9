#!/usr/bin/env bash
# Peak RSS of `rebound scan` over Maildirs of ordinary bounces as the folder grows
# (#14: it must stay flat). Copies the corpus bounces into folders of N files and
# prints N, wall time and peak RSS (from the kernel's rusage of the child).
# Usage: scripts/bench-rss.sh [BIN] (default: target/release/rebound, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${CARGO_TARGET_DIR:-target}/release/rebound}
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t corpus < <(find tests/corpus/maildir -type f | sort)
python3 - "$bin" "$work" "${corpus[@]}" <<'PY'
import os, resource, shutil, subprocess, sys, time
bin, work, corpus = sys.argv[1], sys.argv[2], sys.argv[3:]
print(f"{'files':>7} {'seconds':>8} {'peak RSS MB':>12}")
for n in (1000, 4000, 16000, 64000):
    d = os.path.join(work, f"m{n}", "cur")
    os.makedirs(d)
    for i in range(n):
        shutil.copyfile(corpus[i % len(corpus)], os.path.join(d, f"{i:06}.eml"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.time()
    subprocess.run([bin, "scan", os.path.dirname(d)], stdout=subprocess.DEVNULL, check=False)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far: a flat line shows as equal numbers.
    print(f"{n:>7} {time.time() - t:>8.2f} {max(peak, before) / 1024:>12.1f}")
    shutil.rmtree(os.path.dirname(d))
PY
