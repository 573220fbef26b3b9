#!/usr/bin/env bash
# Wall time of a whole `rebound scan` process (release build) against sisimai (Debian's
# libsisimai-perl) over the same corpus files, in one run so both see the same machine.
#
#   scripts/bench-vs-sisimai.sh            # 10 runs each (RUNS=N to change)
#
# Uses hyperfine when installed (apt-get install hyperfine), else a loop that reports the
# median. Without sisimai (apt-get install libsisimai-perl) only rebound is timed.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
PATHS=(
    tests/corpus/maildir/bsd tests/corpus/maildir/dos tests/corpus/maildir/mac
    tests/corpus/maildir/err tests/corpus/maildir/not tests/corpus/maildir/tmp
    tests/corpus/mailbox/mbox-0 tests/corpus/mailbox/mbox-1
)

cargo build --release --quiet
REBOUND_CMD="target/release/rebound scan ${PATHS[*]} > /dev/null"

# sisimai reads each Maildir or mbox given and builds its records, like `scan` does.
PEER_SCRIPT=$(mktemp --suffix=.pl)
trap 'rm -f "$PEER_SCRIPT"' EXIT
cat > "$PEER_SCRIPT" <<'PERL'
use strict; use warnings; use Sisimai;
my $n = 0;
for my $path (@ARGV) {
    my $records = Sisimai->make($path, 'delivered' => 1) // [];
    $n += scalar @$records;
}
print "$n\n";
PERL
PEER_CMD=""
if perl -MSisimai -e 1 2>/dev/null; then
    PEER_CMD="perl $PEER_SCRIPT ${PATHS[*]} > /dev/null"
else
    echo "note: sisimai (libsisimai-perl) is not installed; timing rebound alone" >&2
fi

echo "corpus: $(du -sh tests/corpus | cut -f1), $(find "${PATHS[@]}" -type f | wc -l) files"
echo "records: rebound $(target/release/rebound scan "${PATHS[@]}" | wc -l)" \
    "${PEER_CMD:+/ sisimai $(perl "$PEER_SCRIPT" "${PATHS[@]}")}"

if command -v hyperfine >/dev/null; then
    if [ -n "$PEER_CMD" ]; then
        hyperfine --warmup 2 --runs "$RUNS" -n rebound "$REBOUND_CMD" -n sisimai "$PEER_CMD"
    else
        hyperfine --warmup 2 --runs "$RUNS" -n rebound "$REBOUND_CMD"
    fi
    exit 0
fi

# No hyperfine: run each command RUNS times and print the median wall time.
median_ms() {
    local cmd=$1 times=()
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s%N)
        bash -c "$cmd"
        end=$(date +%s%N)
        times+=($(((end - start) / 1000000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
ours=$(median_ms "$REBOUND_CMD")
echo "rebound: median ${ours} ms over $RUNS runs"
if [ -n "$PEER_CMD" ]; then
    peer=$(median_ms "$PEER_CMD")
    echo "sisimai: median ${peer} ms over $RUNS runs"
    awk -v a="$ours" -v b="$peer" 'BEGIN { if (a > 0) printf "rebound is %.1fx faster\n", b / a }'
fi
