#!/bin/bash
# Compares `ostree4j container encapsulate` (JVM start included) with the floor of just archiving
# and compressing the same tree (`tar -c | zstd -3 -T0`, `tar -c | pigz -6`), and the layered
# import `ostree4j container image pull` of that image with `ostree commit --tree=tar=` of the
# equivalent tar. Wall time and peak RSS per run, medians and ratios.
#
# Usage: modules/bench/scripts/encapsulate-vs-tar.sh [options]
#
#   -n RUNS         measured runs per step (default 5)
#   --tree KIND     minbase: the Debian minbase root filesystem (scripts/debian-minbase.sh);
#                   1g: minbase plus 200 files of 4 MiB of base64 text (about 1 GiB in all)
#                   (default minbase)
#   -w DIR          where the work directory is created (default ${TMPDIR:-/tmp})
#   --results FILE  also write the raw results and the summary to FILE
#   --keep          keep the work directory
#
# Method. The tree is committed once with `ostree4j commit` into a bare-user repository (the
# source of every encapsulation) and archived once with GNU tar (the input of `ostree commit
# --tree=tar=`). Every run writes into a fresh, empty output (a new OCI directory, a new
# repository, a new file); all of them are created up front, the page cache is warmed with the
# tree and the repository, and the steps alternate within a run. Encapsulation uses the default
# chunking (--max-layers 64). The pull imports the zstd image of the same run into a fresh
# bare-user repository; `ostree commit` imports the tar into another fresh bare-user repository.
# Both imports must give a tree with the same content checksum as the source commit's.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
o4j=$root/bin/ostree4j

runs=5
tree_kind=minbase
parent=${TMPDIR:-/tmp}
results=
keep=0

# shellcheck source=lib.sh
. "$here/lib.sh"
bench=encapsulate-vs-tar

while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --tree) tree_kind=$2; shift 2 ;;
    -w) parent=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done
case "$tree_kind" in minbase|1g) ;; *) die "--tree must be minbase or 1g" ;; esac
for t in ostree zstd pigz tar; do command -v "$t" >/dev/null || die "$t is not installed"; done
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (apt-get install time)"

work=$(mktemp -d "$parent/encapsulate-vs-tar.XXXXXX")
cleanup() { if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "work directory kept: $work" >&2; fi; }
trap cleanup EXIT

rootfs=$("$root/scripts/debian-minbase.sh")
tree=$rootfs
if [ "$tree_kind" = 1g ]; then
  tree=$work/tree
  cp -a "$rootfs" "$tree"
  mkdir -p "$tree/usr/share/bench"
  for i in $(seq 200); do
    { openssl enc -aes-128-ctr -nosalt -pass "pass:file$i" -in /dev/zero 2>/dev/null || true; } \
      | head -c $((3 << 20)) | base64 -w 76 > "$tree/usr/share/bench/f$i.txt"
  done
fi
echo "tree: $(du -sh "$tree" | cut -f1), $(find "$tree" | wc -l) entries" >&2

src=$work/src
"$o4j" init --repo="$src" --mode=bare-user >/dev/null
commit=$("$o4j" commit --repo="$src" -b os --timestamp=2020-01-01T00:00:00Z "$tree" | tail -1)
tarfile=$work/tree.tar
tar -C "$tree" --numeric-owner -cf "$tarfile" .
[ "$(ostree --repo="$src" rev-parse os)" = "$commit" ] || die "ostree cannot read back the commit"

for i in $(seq 0 "$runs"); do
  mkdir -p "$work/run$i"
  "$o4j" init --repo="$work/run$i/pull" --mode=bare-user >/dev/null
  ostree init --repo="$work/run$i/commit" --mode=bare-user
done
# warm the page cache
cat "$tarfile" > /dev/null
find "$src/objects" -type f -exec cat {} + > /dev/null
sync; sleep 3

raw=$work/raw.tsv
printf 'run\tstep\twall_s\trss_kib\n' > "$raw"
timed() { # RUN STEP -- cmd...
  local run=$1 step=$2
  shift 3
  /usr/bin/time -o "$work/time" -f '%e %M' "$@" > "$work/out" 2> "$work/err" \
    || { cat "$work/err" >&2; die "$step failed: $*"; }
  local r
  r=$(tail -1 "$work/time")
  [ "$run" = 0 ] || printf '%s\t%s\t%s\t%s\n' "$run" "$step" "${r% *}" "${r#* }" >> "$raw"
}

for i in $(seq 0 "$runs"); do
  [ "$i" = 0 ] && echo "warm-up run" >&2 || echo "run $i/$runs" >&2
  d=$work/run$i
  timed "$i" tar-zstd -- sh -c "tar -C '$tree' -cf - . | zstd -q -3 -T0 > '$d/tree.tar.zst'"
  timed "$i" encapsulate-zstd -- "$o4j" container encapsulate --repo="$src" --compression=zstd os "oci:$d/zstd:v1"
  timed "$i" tar-pigz -- sh -c "tar -C '$tree' -cf - . | pigz -6 > '$d/tree.tar.gz'"
  timed "$i" encapsulate-gzip -- "$o4j" container encapsulate --repo="$src" os "oci:$d/gzip:v1"
  timed "$i" ostree-commit-tar -- ostree commit --repo="$d/commit" -b os --tree=tar="$tarfile" --timestamp=2020-01-01T00:00:00Z
  timed "$i" image-pull -- "$o4j" container image pull -q --repo="$d/pull" "oci:$d/zstd:v1"
  base=$("$o4j" rev-parse --repo="$d/pull" "$(cat "$work/out" | tail -1)^")
  [ "$base" = "$commit" ] || die "the pulled image's base is $base, not $commit"
  rm -f "$d/tree.tar.zst" "$d/tree.tar.gz"
done

summary=$(python3 - "$raw" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
def med(step, key):
    return statistics.median(float(r[key]) for r in rows if r['step'] == step)
print('| step | median s | peak RSS MiB | compared with | ratio |')
print('|---|---|---|---|---|')
pairs = [('tar-zstd', None), ('encapsulate-zstd', 'tar-zstd'), ('tar-pigz', None),
         ('encapsulate-gzip', 'tar-pigz'), ('ostree-commit-tar', None), ('image-pull', 'ostree-commit-tar')]
for step, ref in pairs:
    w = med(step, 'wall_s')
    ratio = f"{w / med(ref, 'wall_s'):.2f}x" if ref else ''
    print(f"| {step} | {w:.2f} | {med(step, 'rss_kib') / 1024:.0f} | {ref or ''} | {ratio} |")
EOF
)
echo
echo "tree: $tree_kind, runs: $runs, $(nproc) CPUs"
echo "$summary"
if [ -n "$results" ]; then { cat "$raw"; echo; echo "$summary"; } > "$results"; fi
