#!/bin/bash
# Compares `skopeo copy` with `ostree4j copy` (through bin/ostree4j, JVM start included) pushing
# an OCI layout to a local registry and pulling it back into a fresh OCI layout: wall time and
# peak RSS per run, medians and the ratio ostree4j/skopeo.
#
# Usage: modules/bench/scripts/copy-vs-skopeo.sh [options]
#
#   -n RUNS         measured runs per tool (default 5)
#   --image KIND    minbase: the Debian minbase root filesystem in three layers (usr/lib, the rest
#                   of usr, everything else; printed by scripts/debian-minbase.sh, built on first
#                   use), or 1g: four layers of 256 MiB pseudo-random data (incompressible; layer
#                   bytes = transfer bytes) (default minbase)
#   -w DIR          where the work directory is created (default ${TMPDIR:-/tmp})
#   --warmup N      unrecorded runs per tool first (default 1; also records ostree4j's class
#                   data sharing archive for `copy`, see bin/ostree4j)
#   --results FILE  also write the raw results (tab separated) and the summary to FILE
#   --keep          keep the work directory
#
# Method. The image is built once with umoci (`umoci raw add-layer` of plain tars, gzip). Every
# run starts a fresh docker-registry (Debian package) on its own port with empty storage, so
# neither tool can skip or mount blobs, then runs the tools alternately (skopeo, ostree4j,
# skopeo, ...): push `oci:DIR:bench` -> `docker://127.0.0.1:PORT/bench:latest`
# (--dest-tls-verify=false), pull it back into a new `oci:` directory (--src-tls-verify=false),
# and push the same image again to the same tag (a re-push: the blobs exist). Every push must
# give the same manifest digest for both tools. After each ostree4j re-push the registry log is
# checked: a re-push may only HEAD blobs, never upload them (no POST/PATCH/PUT to
# /v2/.../blobs/uploads). Wall time and peak RSS come from /usr/bin/time -f '%e %M'.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
ostree4j=$root/bin/ostree4j

runs=5
image=minbase
parent=${TMPDIR:-/tmp}
warmup=1
results=
keep=0

# shellcheck source=lib.sh
. "$here/lib.sh"
bench=copy-vs-skopeo

while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    -w) parent=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage 0 ;;
    *) usage 2 >&2 ;;
  esac
done
case "$image" in minbase|1g) ;; *) die "--image must be minbase or 1g" ;; esac

for t in skopeo umoci docker-registry; do
  command -v "$t" >/dev/null || die "$t is not installed (scripts/install-peers.sh installs it)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed (apt-get install time)"

work=$(mktemp -d "$parent/copy-vs-skopeo.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "work directory kept: $work" >&2; fi
}
trap cleanup EXIT

policy=$work/policy.json
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$policy"
auth=$work/auth.json
echo '{}' > "$auth"

echo "building the $image image..." >&2
layers=$work/layers
mkdir -p "$layers"
if [ "$image" = minbase ]; then
  rootfs=$("$root/scripts/debian-minbase.sh")
  tar -C "$rootfs" -cf "$layers/1.tar" usr/lib
  tar -C "$rootfs" -cf "$layers/2.tar" --exclude=usr/lib usr
  tar -C "$rootfs" -cf "$layers/3.tar" --exclude=./usr .
else
  for i in 1 2 3 4; do
    mkdir -p "$layers/d$i"
    # pseudo-random, reproducible, incompressible
    { openssl enc -aes-128-ctr -nosalt -pass "pass:layer$i" -in /dev/zero 2>/dev/null || true; } \
      | head -c $((256 << 20)) > "$layers/d$i/data$i"
    tar -C "$layers/d$i" -cf "$layers/$i.tar" .
    rm -rf "$layers/d$i"
  done
fi
img=$work/image
umoci init --layout "$img" >/dev/null
umoci new --image "$img:bench" >/dev/null
for t in "$layers"/*.tar; do
  umoci raw add-layer --image "$img:bench" "$t" >/dev/null
done
rm -rf "$layers"
umoci gc --layout "$img"
image_bytes=$(du -sb "$img/blobs" | cut -f1)
echo "image: $(ls "$img/blobs/sha256" | wc -l) blobs, $image_bytes bytes" >&2

# timed OUT_VAR LOG -- command...: runs the command, stores "wall rss" in OUT_VAR
timed() {
  local var=$1 log=$2
  shift 3
  /usr/bin/time -o "$log.time" -f '%e %M' "$@" > "$log" 2>&1 || { cat "$log" >&2; die "failed: $*"; }
  printf -v "$var" '%s' "$(tail -1 "$log.time")"
}

raw=$work/raw.tsv
printf 'run\ttool\tstep\twall_s\trss_kib\n' > "$raw"

one_run() { # RUN-LABEL TOOL
  local label=$1 tool=$2 dir
  dir=$work/$label-$tool
  mkdir -p "$dir"
  start_registry "$dir"
  local dst="docker://127.0.0.1:$reg_port/bench:latest" r push pull repush digest
  if [ "$tool" = skopeo ]; then
    timed push "$dir/push.log" -- skopeo --policy "$policy" copy -q --authfile "$auth" --dest-tls-verify=false --digestfile "$dir/digest" "oci:$img:bench" "$dst"
    timed pull "$dir/pull.log" -- skopeo --policy "$policy" copy -q --authfile "$auth" --src-tls-verify=false "$dst" "oci:$dir/pulled:bench"
    timed repush "$dir/repush.log" -- skopeo --policy "$policy" copy -q --authfile "$auth" --dest-tls-verify=false "oci:$img:bench" "$dst"
  else
    timed push "$dir/push.log" -- "$ostree4j" copy -q --authfile "$auth" --dest-tls-verify=false --digestfile "$dir/digest" "oci:$img:bench" "$dst"
    timed pull "$dir/pull.log" -- "$ostree4j" copy -q --authfile "$auth" --src-tls-verify=false "$dst" "oci:$dir/pulled:bench"
    local before
    before=$(grep -c 'blobs/uploads' "$reg_log" || true)
    timed repush "$dir/repush.log" -- "$ostree4j" copy -q --authfile "$auth" --dest-tls-verify=false "oci:$img:bench" "$dst"
    [ "$(grep -c 'blobs/uploads' "$reg_log" || true)" = "$before" ] \
      || die "ostree4j re-push uploaded blobs (see $reg_log)"
  fi
  digest=$(cat "$dir/digest")
  if [ -z "${want_digest:-}" ]; then want_digest=$digest; fi
  [ "$digest" = "$want_digest" ] || die "$tool pushed $digest, expected $want_digest"
  kill "$reg_pid" 2>/dev/null || true
  wait "$reg_pid" 2>/dev/null || true
  if [ "$label" != warmup ]; then
    for s in push pull repush; do
      r=${!s}
      printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$tool" "$s" "${r% *}" "${r#* }" >> "$raw"
    done
  fi
  rm -rf "$dir/pulled" "$dir/storage"
}

for i in $(seq "$warmup"); do
  one_run warmup skopeo
  one_run warmup ostree4j
done
for i in $(seq "$runs"); do
  echo "run $i/$runs" >&2
  one_run "$i" skopeo
  one_run "$i" ostree4j
done

summary=$(python3 - "$raw" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
def med(tool, step, key):
    return statistics.median(float(r[key]) for r in rows if r['tool'] == tool and r['step'] == step)
print('| step | skopeo median s | ostree4j median s | ratio | skopeo peak RSS MiB | ostree4j peak RSS MiB |')
print('|---|---|---|---|---|---|')
tot = {'skopeo': 0.0, 'ostree4j': 0.0}
for step in ('push', 'pull', 'repush'):
    s, o = med('skopeo', step, 'wall_s'), med('ostree4j', step, 'wall_s')
    if step != 'repush':
        tot['skopeo'] += s; tot['ostree4j'] += o
    print(f"| {step} | {s:.2f} | {o:.2f} | {o / s:.2f}x | {med('skopeo', step, 'rss_kib') / 1024:.0f} | {med('ostree4j', step, 'rss_kib') / 1024:.0f} |")
print(f"| push + pull | {tot['skopeo']:.2f} | {tot['ostree4j']:.2f} | {tot['ostree4j'] / tot['skopeo']:.2f}x | | |")
EOF
)
echo
echo "image: $image ($image_bytes bytes of blobs), runs: $runs, $(nproc) CPUs, $(skopeo --version)"
echo "$summary"
if [ -n "$results" ]; then
  { cat "$raw"; echo; echo "$summary"; } > "$results"
fi
