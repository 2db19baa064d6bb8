#!/bin/bash
# Measures what the launcher's JIT compiler directives (bin/ostree4j.directives.json: only digest,
# cipher and big-number code gets the C2 compiler) change: the same jar and launcher run with and
# without the directives file, alternating, on the Debian minbase tree. Wall time, user and system
# CPU per run; medians and ratios.
#
# Usage: modules/bench/scripts/jit-directives.sh [options]
#
#   -n RUNS         measured runs per step and variant (default 5)
#   -w DIR          where the work directory is created (default ${TMPDIR:-/tmp})
#   --results FILE  also write the raw results and the summary to FILE
#   --keep          keep the work directory
#
# Steps: commit of the tree (directory, and a tar of it with --tree=tar=) into a fresh bare-user
# repository, and of the directory into a fresh archive repository, fsck of the
# bare-user source repository, container encapsulate (zstd and gzip) into a fresh oci: directory,
# and container image pull of the zstd image into a fresh bare-user repository. Every output is
# created up front; one unrecorded warm-up round first (it also records the class data sharing
# archives of both snapshots).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

runs=5
parent=${TMPDIR:-/tmp}
results=
keep=0

# shellcheck source=lib.sh
. "$here/lib.sh"
bench=jit-directives

while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    -w) parent=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (apt-get install time)"
[ -f "$root/bin/ostree4j.directives.json" ] || die "bin/ostree4j.directives.json is missing"

"$root/bin/ostree4j" --version >/dev/null
work=$(mktemp -d "$parent/jit-directives.XXXXXX")
cleanup() { if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "work directory kept: $work" >&2; fi; }
trap cleanup EXIT

# Two snapshots of the launcher and the jar: with and without the directives file.
snapshot_launcher "$work/with"
snapshot_launcher "$work/without"
rm "$work/without/bin/ostree4j.directives.json"
o4j=$work/with/bin/ostree4j

tree=$("$root/scripts/debian-minbase.sh")
src=$work/src
"$o4j" init --repo="$src" --mode=bare-user >/dev/null
"$o4j" commit --repo="$src" -b os --timestamp=2020-01-01T00:00:00Z "$tree" >/dev/null
"$o4j" container encapsulate --repo="$src" --compression=zstd os "oci:$work/image:v1" >/dev/null
tar -C "$tree" --numeric-owner -cf "$work/tree.tar" .

variants=(without with)
for i in $(seq 0 "$runs"); do
  for v in "${variants[@]}"; do
    d=$work/run$i/$v
    mkdir -p "$d"
    "$o4j" init --repo="$d/bare" --mode=bare-user >/dev/null
    "$o4j" init --repo="$d/tar" --mode=bare-user >/dev/null
    "$o4j" init --repo="$d/archive" --mode=archive >/dev/null
    "$o4j" init --repo="$d/pull" --mode=bare-user >/dev/null
  done
done
cat "$work/tree.tar" > /dev/null
find "$src/objects" -type f -exec cat {} + > /dev/null
sync; sleep 3

raw=$work/raw.tsv
printf 'run\tstep\tvariant\twall_s\tuser_s\tsys_s\n' > "$raw"
for i in $(seq 0 "$runs"); do
  [ "$i" = 0 ] && echo "warm-up run" >&2 || echo "run $i/$runs" >&2
  for step in commit commit-tar commit-archive fsck encapsulate-zstd encapsulate-gzip pull; do
    for v in "${variants[@]}"; do
      d=$work/run$i/$v
      case $step in
        commit) args=(commit --repo="$d/bare" -b os --timestamp=2020-01-01T00:00:00Z "$tree") ;;
        commit-tar) args=(commit --repo="$d/tar" -b os --timestamp=2020-01-01T00:00:00Z --tree=tar="$work/tree.tar") ;;
        commit-archive) args=(commit --repo="$d/archive" -b os --timestamp=2020-01-01T00:00:00Z "$tree") ;;
        fsck) args=(fsck --repo="$src") ;;
        encapsulate-zstd) args=(container encapsulate --repo="$src" --compression=zstd os "oci:$d/zstd:v1") ;;
        encapsulate-gzip) args=(container encapsulate --repo="$src" os "oci:$d/gzip:v1") ;;
        pull) args=(container image pull -q --repo="$d/pull" "oci:$work/image:v1") ;;
      esac
      /usr/bin/time -o "$work/time" -f '%e %U %S' "$work/$v/bin/ostree4j" "${args[@]}" \
        > /dev/null 2> "$work/err" || { cat "$work/err" >&2; die "$step ($v) failed"; }
      read -r wall user sys < <(tail -1 "$work/time")
      [ "$i" = 0 ] || printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$step" "$v" "$wall" "$user" "$sys" >> "$raw"
    done
  done
done

summary=$(python3 - "$raw" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
def med(step, variant, key):
    return statistics.median(float(r[key]) for r in rows if r['step'] == step and r['variant'] == variant)
print('| step | without: wall / user s | with: wall / user s | wall ratio |')
print('|---|---:|---:|---:|')
for step in dict.fromkeys(r['step'] for r in rows):
    a, b = med(step, 'without', 'wall_s'), med(step, 'with', 'wall_s')
    print(f"| {step} | {a:.2f} / {med(step, 'without', 'user_s'):.2f} | "
          f"{b:.2f} / {med(step, 'with', 'user_s'):.2f} | {b / a:.2f}x |")
EOF
)
echo
echo "runs: $runs, $(nproc) CPUs, $(${JAVA:-java} -version 2>&1 | head -n 1)"
echo "$summary"
if [ -n "$results" ]; then { cat "$raw"; echo; echo "$summary"; } > "$results"; fi
