#!/bin/bash
# Compares `ostree4j build` with `buildah bud` (JVM start included) on a derived-image build: a
# 5-instruction Containerfile (COPY, RUN, ENV, RUN, LABEL) on the Debian 12 minbase tree shipped
# as an ostree base image with `ostree4j container encapsulate`. Wall time and peak RSS per run,
# medians per variant and the ratios the project tracks.
#
# Usage: modules/bench/scripts/build-vs-buildah.sh [options]
#
#   -n RUNS         measured runs per variant (default 5)
#   -w DIR          where the work directory is created (default ${TMPDIR:-/tmp})
#   --warmup N      unrecorded runs per variant before the measured ones (default 1)
#   --pause SEC     sleep between runs (default 1)
#   --max-layers N  layers of the base image: 0 for one layer (default), up to 64 for a base
#                   chunked by package as nodes get it (vfs then copies the tree once per layer)
#   --results FILE  also write the raw results (tab separated) and the summary table to FILE
#   --keep          keep the work directory instead of deleting it at the end
#
# Variants (each run gets fresh storage and output directories, created up front):
#   ostree4j-cold         ostree4j build into a fresh --root: the base is imported into the
#                         storage root's repository and checked out, no layer cache
#   ostree4j-warm         ostree4j build --layers into a --root where the same build ran once
#                         (untimed, before the measured runs): every step is a cache hit
#   buildah-vfs-cold      buildah --storage-driver vfs bud --isolation chroot --runtime runc into
#                         a fresh --root/--runroot (the base is copied into the storage first)
#   buildah-overlay-cold  the same with --storage-driver overlay
#   buildah-vfs-warm      buildah ... vfs bud --layers into a storage where it ran once (untimed)
#   buildah-overlay-warm  the same with the overlay driver
#   ostree4j-based, buildah-vfs-based, buildah-overlay-based
#                         "cold" builds (no layer cache) into storage that already holds the base
#                         image: ostree4j after one untimed build without --layers (the base is
#                         imported and checked out), buildah after an untimed `buildah pull`
# Every variant writes the image to a fresh OCI layout directory (-t oci:DIR:img). Runs of the
# variants alternate (run 1 of each, then run 2 of each, ...) so that drift of the machine hits
# them alike. Targets (issue 5): ostree4j cold <= 0.5x buildah vfs cold and <= 1.0x buildah
# overlay cold; ostree4j warm <= 0.5x buildah vfs warm (overlay warm reported beside it).
#
# Needs root (overlay mounts, runc, buildah's storage), buildah, runc, and the Debian minbase tree
# (scripts/debian-minbase.sh builds it once, with debootstrap).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
ostree4j=$root/bin/ostree4j

runs=5
parent=${TMPDIR:-/tmp}
warmup=1
pause=1
results=
keep=0
max_layers=0

# shellcheck source=lib.sh
. "$here/lib.sh"
bench=build-vs-buildah

while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    -w) parent=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --pause) pause=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --max-layers) max_layers=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option $1" >&2; usage 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "-n needs a positive number"
[[ "$warmup" =~ ^[0-9]+$ ]] || die "--warmup needs a number"
[ "$(id -u)" = 0 ] || die "run as root (overlay mounts, runc, buildah storage)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is required"
for p in buildah runc; do command -v "$p" >/dev/null 2>&1 || die "$p not found (scripts/install-peers.sh)"; done

# Build the CLI if needed, then run a snapshot of the launcher and jar so that a rebuild in the
# checkout during the runs cannot change what is measured; one untimed start makes its CDS archive.
"$ostree4j" --version >/dev/null
mkdir -p "$parent"
# lower case only: buildah derives an image name from the base layout's path
work=$parent/ostree4j-build-bench.$(tr -dc 'a-z0-9' </dev/urandom | head -c 8 || true)
mkdir "$work"
log=$work/logs
mkdir -p "$log"
snap=$work/ostree4j
snapshot_launcher "$snap"
ostree4j=$snap/bin/ostree4j
"$ostree4j" --version >/dev/null 2>&1
raw=$work/results.tsv
printf 'variant\trun\twall_s\tmaxrss_kib\tuser_s\tsys_s\tdigest\n' >"$raw"

cleanup() {
  local rc=$?
  # buildah leaves its storage mounted (overlay): unmount before deleting
  for d in "$work"/buildah-*/root; do
    [ -d "$d" ] || continue
    buildah --root "$d" --runroot "${d%/root}/run" rm --all >/dev/null 2>&1 || true
    grep -o " $d[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount "$m" 2>/dev/null || true; done
  done
  if [ "$keep" = 1 ] || [ $rc -ne 0 ]; then
    echo "build-vs-buildah: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

total=$((warmup + runs))
variants=(ostree4j-cold ostree4j-warm ostree4j-based buildah-vfs-cold buildah-overlay-cold
  buildah-vfs-warm buildah-overlay-warm buildah-vfs-based buildah-overlay-based)

echo "== build-vs-buildah"
echo "work dir:  $work ($(df -T "$work" | awk 'NR==2 {print $2" on "$1}'))"
echo "buildah:   $(buildah --version) (runc $(runc --version | awk 'NR==1 {print $3}'))"
echo "ostree4j:  $root/bin/ostree4j, run from a snapshot (jar sha256 $(sha256sum "$snap/modules/cli/target/ostree4j.jar" | cut -c1-16)..., checkout $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo "java:      $(${JAVA:-java} -version 2>&1 | head -n 1)"
echo "machine:   $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
echo "runs:      $runs measured + $warmup warm-up per variant (${variants[*]})"

echo "-- the base image: Debian minbase, committed and encapsulated"
rootfs=$("$root/scripts/debian-minbase.sh")
"$ostree4j" init --repo="$work/repo" --mode=bare-user >/dev/null
"$ostree4j" commit --repo="$work/repo" -b os --owner-uid=0 --owner-gid=0 \
  --timestamp=2024-01-01T00:00:00Z "$rootfs" >/dev/null
"$ostree4j" container encapsulate --repo="$work/repo" --max-layers="$max_layers" os \
  "oci:$work/base:minbase" >/dev/null
base="oci:$work/base:minbase"
echo "   $base ($(du -sh "$work/base" | cut -f1), --max-layers=$max_layers)"

ctx=$work/context
mkdir -p "$ctx/app"
for i in $(seq 1 50); do head -c 20000 /dev/urandom | base64 >"$ctx/app/file-$i.txt"; done
cat >"$ctx/Containerfile" <<'EOF'
ARG BASE
FROM ${BASE}
COPY app/ /usr/share/bench-app/
RUN useradd --system --no-create-home bench && echo done > /usr/share/bench-app/run1
ENV BENCH_MODE=1
RUN cp -a /usr/share/bench-app /usr/lib/bench-app-copy && ls -l /usr/lib/bench-app-copy > /usr/share/bench-app/listing
LABEL org.example.bench=build
EOF

# cmd VARIANT I: the command line of one run (storage dirs per variant and run).
cmd() {
  local v=$1 i=$2 d=$work/$1/$2
  case "$v" in
    ostree4j-cold|ostree4j-based) echo "$ostree4j" build --root "$d/root" -t "oci:$d/out:img" --build-arg "BASE=$base" "$ctx" ;;
    ostree4j-warm) echo "$ostree4j" build --layers --root "$d/root" -t "oci:$d/out:img" --build-arg "BASE=$base" "$ctx" ;;
    buildah-*)
      local driver=${v#buildah-}; driver=${driver%-*}
      local layers=; [[ "$v" == *-warm ]] && layers=--layers
      echo buildah --root "$d/root" --runroot "$d/run" --storage-driver "$driver" bud $layers \
        --isolation chroot --runtime runc --build-arg "BASE=$base" -t "oci:$d/out:img" "$ctx" ;;
  esac
}

echo "-- preparing $((total * ${#variants[@]})) fresh directories (warm variants: one untimed build each)"
for v in "${variants[@]}"; do
  for ((i = 1; i <= total; i++)); do
    mkdir -p "$work/$v/$i"
    if [[ "$v" == *-warm || "$v" == ostree4j-based ]]; then
      # shellcheck disable=SC2046
      $(cmd "$v" "$i") >"$log/$v-$i.prep" 2>&1 || { cat "$log/$v-$i.prep" >&2; die "preparing $v $i failed"; }
      rm -rf "$work/$v/$i/out"
    elif [[ "$v" == buildah-*-based ]]; then
      driver=${v#buildah-}; driver=${driver%-*}
      buildah --root "$work/$v/$i/root" --runroot "$work/$v/$i/run" --storage-driver "$driver" \
        pull "$base" >"$log/$v-$i.prep" 2>&1 || { cat "$log/$v-$i.prep" >&2; die "preparing $v $i failed"; }
    fi
  done
done
sync
sleep 2
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# run VARIANT I: one timed build.
run() {
  local v=$1 i=$2 name=$1-$2
  # shellcheck disable=SC2046
  if ! /usr/bin/time -f '%e %M %U %S' -o "$log/$name.time" $(cmd "$v" "$i") >"$log/$name.out" 2>"$log/$name.err"; then
    echo "build-vs-buildah: $v run $i failed:" >&2
    tail -n 20 "$log/$name.out" "$log/$name.err" >&2
    exit 1
  fi
  local digest
  digest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$work/$v/$i/out/index.json" 2>/dev/null || echo "?")
  local wall rss user sys
  read -r wall rss user sys < <(tail -n 1 "$log/$name.time")
  local label=$((i - warmup))
  if [ "$i" -le "$warmup" ]; then label=w$i; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$label" "$wall" "$rss" "$user" "$sys" "$digest" >>"$raw"
  printf '   %-21s run %-3s %6.2f s %7.1f MiB  cpu %5.2f s  %s\n' "$v" "$label" "$wall" \
    "$(echo "$rss" | awk '{print $1/1024}')" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "${digest:7:12}"
}

echo "-- running (variants alternate; each run in its own fresh directories)"
for ((i = 1; i <= total; i++)); do
  for v in "${variants[@]}"; do
    run "$v" "$i"
    sleep "$pause"
  done
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) {print "nan"; exit} if (NR % 2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -F'\t' -v v="$1" -v f="$2" 'NR > 1 && $1 == v && $2 !~ /^w/ {print $f}' "$raw"; }
med() { col "$1" 3 | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r <= t ? "met" : "missed")}'; }

summary=$work/summary.md
{
  echo
  echo "| variant | median wall (s) | median CPU user+sys (s) | peak RSS (MiB) |"
  echo "|---|---:|---:|---:|"
  for v in "${variants[@]}"; do
    cpu=$(awk -F'\t' -v v="$v" 'NR > 1 && $1 == v && $2 !~ /^w/ {print $5 + $6}' "$raw" | median)
    rss=$(col "$v" 4 | sort -g | tail -n 1 | awk '{printf "%.1f", $1/1024}')
    echo "| $v | $(med "$v") | $cpu | $rss |"
  done
  echo
  c=$(med ostree4j-cold); w=$(med ostree4j-warm)
  r1=$(ratio "$c" "$(med buildah-vfs-cold)"); r2=$(ratio "$c" "$(med buildah-overlay-cold)")
  r3=$(ratio "$w" "$(med buildah-vfs-warm)"); r4=$(ratio "$w" "$(med buildah-overlay-warm)")
  echo "| ratio | value | target |"
  echo "|---|---:|---|"
  echo "| ostree4j cold / buildah vfs cold | **$r1** | <= 0.5 ($(verdict "$r1" 0.5)) |"
  echo "| ostree4j cold / buildah overlay cold | **$r2** | <= 1.0 ($(verdict "$r2" 1.0)) |"
  echo "| ostree4j warm / buildah vfs warm (--layers) | **$r3** | <= 0.5 ($(verdict "$r3" 0.5)) |"
  echo "| ostree4j warm / buildah overlay warm (--layers) | $r4 | reported |"
  b=$(med ostree4j-based)
  echo "| ostree4j / buildah vfs, base already stored, no cache | $(ratio "$b" "$(med buildah-vfs-based)") | reported |"
  echo "| ostree4j / buildah overlay, base already stored, no cache | $(ratio "$b" "$(med buildah-overlay-based)") | reported |"
  echo
  echo "Medians of $runs run(s) per variant ($warmup warm-up run(s) not counted), JVM start included."
  echo "Load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$summary"

echo
echo "== summary"
cat "$summary"
if [ -n "$results" ]; then
  { cat "$raw"; cat "$summary"; } >"$results"
  echo "raw results and summary written to $results"
fi
