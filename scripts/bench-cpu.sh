#!/usr/bin/env bash
# CPU time (user + sys) of one whole `rebound scan` over 10,840 messages: the sisimai
# corpus's maildir/bsd (542 files) copied 20 times, against sisimai-perl on the same
# files when it is installed (Debian: apt-get install libsisimai-perl). CPU time, not
# wall time: it does not depend on how many cores are free.
#
#   scripts/bench-cpu.sh              # 5 runs each (RUNS=N to change)
#   BASELINE=path/to/rebound scripts/bench-cpu.sh   # also time another build
#
# Prints the median user+sys seconds of each and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
COPIES=${COPIES:-20}
cargo build --release --quiet

DATA=$(mktemp -d)
PEER_SCRIPT=$(mktemp --suffix=.pl)
trap 'rm -rf "$DATA" "$PEER_SCRIPT"' EXIT
mkdir -p "$DATA/cur" "$DATA/new" "$DATA/tmp"
for i in $(seq "$COPIES"); do
    for f in tests/corpus/maildir/bsd/*; do
        cp "$f" "$DATA/cur/$i-$(basename "$f")"
    done
done
echo "messages: $(find "$DATA/cur" -type f | wc -l) ($(du -sh "$DATA" | cut -f1))"

# User+sys seconds of one run of a command and everything it starts (getrusage of the
# children, which needs nothing beyond Python's standard library).
cpu_once() {
    python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1], shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.3f}")' "$1"
}

# Median of user+sys seconds over RUNS runs of a command.
cpu_median() {
    local times=()
    for _ in $(seq "$RUNS"); do
        times+=("$(cpu_once "$1")")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ours=$(cpu_median "target/release/rebound scan '$DATA'")
echo "rebound ($(git rev-parse --short HEAD)): ${ours} s user+sys, median of $RUNS"
if [ -n "${BASELINE:-}" ]; then
    base=$(cpu_median "'$BASELINE' scan '$DATA'")
    echo "baseline ($BASELINE): ${base} s user+sys"
fi
if perl -MSisimai -e 1 2>/dev/null; then
    cat > "$PEER_SCRIPT" <<'PERL'
use strict; use warnings; use Sisimai;
my $records = Sisimai->make($ARGV[0], 'delivered' => 1) // [];
print scalar(@$records), "\n";
PERL
    peer=$(cpu_median "perl '$PEER_SCRIPT' '$DATA/cur'")
    echo "sisimai-perl $(perl -MSisimai -e 'print $Sisimai::VERSION'): ${peer} s user+sys"
    awk -v a="$ours" -v b="$peer" 'BEGIN { if (a > 0) printf "rebound uses %.1fx less CPU time\n", b / a }'
else
    echo "note: sisimai-perl is not installed; timing rebound alone" >&2
fi
