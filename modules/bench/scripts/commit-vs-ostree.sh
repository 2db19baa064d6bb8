#!/bin/bash
# Compares `ostree commit` with `ostree4j commit` (through bin/ostree4j, JVM start included) on the
# same tree: wall time and peak RSS per run, per-mode medians and the ratio ostree4j/ostree.
#
# Usage: modules/bench/scripts/commit-vs-ostree.sh [options] [TREE]
#
#   TREE            directory to commit (default: the Debian 12 minbase root filesystem printed by
#                   scripts/debian-minbase.sh, which builds it on first use)
#   -n RUNS         measured runs per tool, repo mode and source (default 5)
#   -m MODES        repo modes, comma separated (default bare-user,archive)
#   -s SOURCES      dir (commit the directory), tar (commit --tree=tar= of a tar of the same tree,
#                   made once up front) or dir,tar (default dir)
#   --tar           same as -s dir,tar
#   -w DIR          where the work directory is created (default ${TMPDIR:-/tmp}); put it on the
#                   disk you want to measure
#   --warmup N      unrecorded runs per tool, mode and source before the measured ones (default 1)
#   --settle SEC    sleep after the pre-run sync (default 5)
#   --pause SEC     sleep between runs (default 1)
#   --results FILE  also write the raw results (tab separated) and the summary table to FILE
#   --keep          keep the work directory (repositories, logs) instead of deleting it at the end
#   --wait-idle     on a shared machine: before starting, wait (up to 30 minutes) until other
#                   processes use less than 10% of the CPUs for 10 seconds in a row, and before each
#                   ostree/ostree4j pair of runs for 3 seconds (up to 10 minutes)
#
# Environment: OSTREE (default: ostree on PATH), OSTREE4J_JAVA_OPTS (passed on by bin/ostree4j).
#
# Methodology. File creation on some disks is several times slower right after a similar tree was
# deleted (online discard, journal and allocator work), which would bias whichever tool runs next.
# So every run writes into its own fresh, empty repository: all repositories are created up front
# in a new work directory, the page cache is warmed with the source tree, the filesystem is synced
# and left to settle, and then the tools run alternately (ostree, ostree4j, ostree, ostree4j, ...).
# Nothing is deleted until every run is done. Both tools run with the same options:
#   --owner-uid=0 --owner-gid=0 --timestamp=2020-01-01T00:00:00Z -b bench
# and every run of both tools must print the same commit checksum for a given mode and source;
# the script stops with an error otherwise. Wall time and peak RSS come from
# /usr/bin/time -f '%e %M' (plus user and system CPU time). The CPU time the rest of the machine
# used during each run (all CPUs busy time from /proc/stat minus the run's own user+system time;
# includes kernel writeback threads) is recorded as "other_cpu_s", so runs disturbed by other work
# can be recognised.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
ostree4j=$root/bin/ostree4j
ostree=${OSTREE:-ostree}

runs=5
modes=bare-user,archive
sources=dir
parent=${TMPDIR:-/tmp}
warmup=1
settle=5
pause=1
results=
keep=0
wait_idle=0
tree=

# shellcheck source=lib.sh
. "$here/lib.sh"
bench=commit-vs-ostree

while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    -m) modes=$2; shift 2 ;;
    -s) sources=$2; shift 2 ;;
    --tar) sources=dir,tar; shift ;;
    -w) parent=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --pause) pause=$2; shift 2 ;;
    --results) results=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --wait-idle) wait_idle=1; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "unknown option $1" >&2; usage 2 ;;
    *) [ -z "$tree" ] || die "only one TREE may be given"; tree=$1; shift ;;
  esac
done
IFS=', ' read -r -a mode_list <<<"$modes"
IFS=', ' read -r -a source_list <<<"$sources"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "-n needs a positive number"
[[ "$warmup" =~ ^[0-9]+$ ]] || die "--warmup needs a number"
for m in "${mode_list[@]}"; do
  case "$m" in bare-user|archive|bare-user-only|bare) ;; *) die "unknown repo mode $m" ;; esac
done
for s in "${source_list[@]}"; do
  case "$s" in dir|tar) ;; *) die "unknown source $s (dir or tar)" ;; esac
done

[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is required"
command -v "$ostree" >/dev/null 2>&1 || die "$ostree not found (set OSTREE)"
if [ -z "$tree" ]; then
  tree=$("$root/scripts/debian-minbase.sh")
fi
[ -d "$tree" ] || die "$tree is not a directory"
tree=$(cd "$tree" && pwd -P)

# Build the CLI if needed and let the launcher do its one-off work (e.g. a class data sharing
# archive), untimed.
"$ostree4j" --version >/dev/null
"$ostree4j" --version >/dev/null
mkdir -p "$parent"
work=$(mktemp -d "$parent/ostree4j-commit-bench.XXXXXX")
log=$work/logs
mkdir -p "$log" "$work/repos"
raw=$work/results.tsv

# Run a snapshot of the launcher and the jar, so that a rebuild in the checkout during the runs
# cannot change what is measured. The launcher finds the jar relative to itself. A class data
# sharing archive records the jar's path, so it is not copied: the launcher makes its own for the
# snapshot on the first (untimed) start, as it does after every build.
snap=$work/ostree4j
snapshot_launcher "$snap"
ostree4j_src=$ostree4j
ostree4j=$snap/bin/ostree4j
"$ostree4j" --version >/dev/null 2>&1
if [ "$("$ostree4j" --version 2>/dev/null | head -n 1)" != "$("$ostree4j_src" --version 2>/dev/null | tail -n 1)" ]; then
  echo "commit-vs-ostree: warning: 'ostree4j --version' prints extra lines on stdout (JVM warnings?):" >&2
  "$ostree4j" --version >&2 || true
fi
java_cmd=${JAVA:-java}
java_version=$("$java_cmd" -version 2>&1 | head -n 1)
jvm_flags=$(OSTREE4J_JAVA_OPTS="${OSTREE4J_JAVA_OPTS:-} -XX:+PrintCommandLineFlags" "$ostree4j" --version | grep -e '^-XX' | sed 's/ -XX:+PrintCommandLineFlags//' || true)
launcher_java=$(grep -E '^[[:space:]]*(opts=|exec )' "$ostree4j" | sed -e 's/^[[:space:]]*//' | paste -s -d '|' | sed 's/|/ | /g')
if [ -f "$snap/modules/cli/target/ostree4j.jsa" ]; then cds=present; else cds=absent; fi
jar_sum=$(sha256sum "$snap/modules/cli/target/ostree4j.jar" | cut -c1-16)
git_rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then git_rev="$git_rev+local changes"; fi
printf 'source\tmode\ttool\trun\twall_s\tmaxrss_kib\tuser_s\tsys_s\tother_cpu_s\tchecksum\n' >"$raw"

cleanup() {
  local rc=$?
  if [ "$keep" = 1 ] || [ $rc -ne 0 ]; then
    echo "commit-vs-ostree: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

hz=$(getconf CLK_TCK)
ncpu=$(nproc)

total=$((warmup + runs))
echo "== commit-vs-ostree"
echo "tree:      $tree ($(find "$tree" -xdev -type f | wc -l) files, $(find "$tree" -xdev -type d | wc -l) dirs, $(find "$tree" -xdev -type l | wc -l) symlinks, $(du -sh --apparent-size "$tree" | cut -f1))"
echo "work dir:  $work ($(df -T "$work" | awk 'NR==2 {print $2" on "$1}'))"
echo "ostree:    $("$ostree" --version | awk -F"'" '/Version/ {print $2; exit}') ($(command -v "$ostree"))"
echo "ostree4j:  $ostree4j_src, run from a snapshot in the work dir (jar sha256 $jar_sum..., checkout $git_rev)"
echo "java:      $java_version ($java_cmd)"
echo "launcher:  $launcher_java"
echo "CDS jsa:   $cds; OSTREE4J_JAVA_OPTS='${OSTREE4J_JAVA_OPTS:-}'"
echo "JVM flags: $jvm_flags"
echo "machine:   $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
echo "runs:      $runs measured + $warmup warm-up per tool x mode (${mode_list[*]}) x source (${source_list[*]})"

tarball=$work/tree.tar
for s in "${source_list[@]}"; do
  if [ "$s" = tar ]; then
    echo "-- making $tarball"
    tar -C "$tree" --one-file-system -cf "$tarball" .
  fi
done

echo "-- creating $((total * 2 * ${#mode_list[@]} * ${#source_list[@]})) empty repositories"
repo_path() { echo "$work/repos/$1-$2-$3-$4"; }
for s in "${source_list[@]}"; do
  for m in "${mode_list[@]}"; do
    for ((i = 1; i <= total; i++)); do
      "$ostree" init --repo="$(repo_path "$s" "$m" ostree "$i")" --mode="$m"
      "$ostree4j" init --repo="$(repo_path "$s" "$m" ostree4j "$i")" --mode="$m" >/dev/null
    done
  done
done

echo "-- warming the page cache with the source"
find "$tree" -xdev -type f -print0 | xargs -0 cat >/dev/null
[ -f "$tarball" ] && cat "$tarball" >/dev/null
echo "-- sync; sleep $settle"
sync
sleep "$settle"
if [ "$wait_idle" = 1 ]; then
  echo "-- waiting until the machine is idle (other CPU use < 10% for 10 s)"
  echo "   waited $(wait_for_idle 10 1800) s"
fi
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

common=(--owner-uid=0 --owner-gid=0 --timestamp=2020-01-01T00:00:00Z -b bench)

# run SOURCE MODE TOOL I: one timed commit; prints the checksum.
run() {
  local s=$1 m=$2 tool=$3 i=$4
  local repo name input
  repo=$(repo_path "$s" "$m" "$tool" "$i")
  name=$s-$m-$tool-$i
  if [ "$s" = tar ]; then input=(--tree=tar="$tarball"); else input=("$tree"); fi
  local cmd
  if [ "$tool" = ostree ]; then cmd=("$ostree"); else cmd=("$ostree4j"); fi
  local t0 t1
  t0=$(busy_ticks)
  if ! /usr/bin/time -f '%e %M %U %S' -o "$log/$name.time" \
      "${cmd[@]}" commit --repo="$repo" "${common[@]}" "${input[@]}" >"$log/$name.out" 2>"$log/$name.err"; then
    echo "commit-vs-ostree: $tool commit failed ($name):" >&2
    cat "$log/$name.err" >&2
    exit 1
  fi
  t1=$(busy_ticks)
  local sum
  sum=$(tail -n 1 "$log/$name.out")
  [[ "$sum" =~ ^[0-9a-f]{64}$ ]] || { echo "commit-vs-ostree: $tool printed no checksum ($name)" >&2; cat "$log/$name.out" "$log/$name.err" >&2; exit 1; }
  local wall rss user sys
  read -r wall rss user sys < <(tail -n 1 "$log/$name.time")
  local other
  other=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v u="$user" -v s="$sys" 'BEGIN {o = d / hz - u - s; printf "%.2f", (o < 0 ? 0 : o)}')
  local label=$((i - warmup))
  if [ "$i" -le "$warmup" ]; then label=w$i; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$m" "$tool" "$label" "$wall" "$rss" "$user" "$sys" "$other" "$sum" >>"$raw"
  printf '   %-4s %-9s %-8s run %-3s %6.2f s %7.1f MiB  cpu %5.2f s  other cpu %5.2f s  %s\n' "$s" "$m" "$tool" "$label" "$wall" \
    "$(echo "$rss" | awk '{print $1/1024}')" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$other" "${sum:0:12}"
  echo "$sum" >"$log/$name.sum"
}

echo "-- running (ostree and ostree4j alternate; each run into its own fresh repository)"
declare -A expected=()
for ((i = 1; i <= total; i++)); do
  for s in "${source_list[@]}"; do
    for m in "${mode_list[@]}"; do
      if [ "$wait_idle" = 1 ]; then
        waited=$(wait_for_idle 3 600)
        if [ "$waited" != 3 ]; then echo "   (waited $waited s for the machine to be idle)"; fi
      fi
      for tool in ostree ostree4j; do
        run "$s" "$m" "$tool" "$i"
        sum=$(cat "$log/$s-$m-$tool-$i.sum")
        key=$s-$m
        if [ -z "${expected[$key]:-}" ]; then
          expected[$key]=$sum
        elif [ "${expected[$key]}" != "$sum" ]; then
          echo >&2
          echo "commit-vs-ostree: CHECKSUM MISMATCH ($s, $m, $tool run $i):" >&2
          echo "  expected ${expected[$key]} (first run of this mode and source)" >&2
          echo "  got      $sum" >&2
          echo "  repositories and logs are in $work" >&2
          keep=1
          exit 3
        fi
        sleep "$pause"
      done
    done
  done
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) {print "nan"; exit} if (NR % 2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
column_of() { # SOURCE MODE TOOL FIELD -> values of measured runs
  awk -F'\t' -v s="$1" -v m="$2" -v t="$3" -v f="$4" 'NR > 1 && $1 == s && $2 == m && $3 == t && $4 !~ /^w/ {print $f}' "$raw"
}
target_of() { case "$1" in bare-user) echo 0.8 ;; archive) echo 0.5 ;; *) echo - ;; esac; }

summary=$work/summary.md
{
  echo
  echo "| source | repo mode | ostree median (s) | ostree4j median (s) | ratio ostree4j/ostree | target | ostree CPU user+sys (s) | ostree4j CPU user+sys (s) | ostree peak RSS (MiB) | ostree4j peak RSS (MiB) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for s in "${source_list[@]}"; do
    for m in "${mode_list[@]}"; do
      mo=$(column_of "$s" "$m" ostree 5 | median)
      mj=$(column_of "$s" "$m" ostree4j 5 | median)
      co=$(awk -F'\t' -v s="$s" -v m="$m" 'NR > 1 && $1 == s && $2 == m && $3 == "ostree" && $4 !~ /^w/ {print $7 + $8}' "$raw" | median)
      cj=$(awk -F'\t' -v s="$s" -v m="$m" 'NR > 1 && $1 == s && $2 == m && $3 == "ostree4j" && $4 !~ /^w/ {print $7 + $8}' "$raw" | median)
      ro=$(column_of "$s" "$m" ostree 6 | sort -g | tail -n 1 | awk '{printf "%.1f", $1/1024}')
      rj=$(column_of "$s" "$m" ostree4j 6 | sort -g | tail -n 1 | awk '{printf "%.1f", $1/1024}')
      t=$(target_of "$m")
      ratio=$(awk -v a="$mj" -v b="$mo" 'BEGIN {printf "%.2f", a / b}')
      verdict=$(awk -v r="$ratio" -v t="$t" 'BEGIN {if (t == "-") print ""; else if (r <= t) print " (met)"; else print " (missed)"}')
      rss_verdict=$(awk -v r="$rj" 'BEGIN {if (r < 256) print " (< 256: met)"; else print " (< 256: missed)"}')
      echo "| $s | $m | $mo | $mj | **$ratio**$verdict | ≤ $t | $co | $cj | $ro | $rj$rss_verdict |"
    done
  done
  echo
  echo "Medians of $runs runs per cell ($warmup warm-up run(s) per cell not counted); peak RSS is the"
  echo "maximum over the measured runs. Load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg);"
  echo "CPU time used by other processes during measured runs: median $(awk -F'\t' 'NR > 1 && $4 !~ /^w/ {print $9}' "$raw" | median) s, max $(awk -F'\t' 'NR > 1 && $4 !~ /^w/ {print $9}' "$raw" | sort -g | tail -n 1) s."
  echo "Commit checksums (identical for both tools in every run):"
  for s in "${source_list[@]}"; do
    for m in "${mode_list[@]}"; do
      echo "- $s, $m: \`${expected[$s-$m]}\`"
    done
  done
} >"$summary"

echo
echo "== raw runs (run:wall s/peak RSS MiB)"
for s in "${source_list[@]}"; do
  for m in "${mode_list[@]}"; do
    for tool in ostree ostree4j; do
      printf '%-4s %-9s %-8s' "$s" "$m" "$tool"
      awk -F'\t' -v s="$s" -v m="$m" -v t="$tool" 'NR > 1 && $1 == s && $2 == m && $3 == t {printf " %s:%s/%.0f", $4, $5, $6/1024} END {print ""}' "$raw"
    done
  done
done
echo
echo "== summary"
cat "$summary"

if [ -n "$results" ]; then
  {
    cat "$raw"
    cat "$summary"
  } >"$results"
  echo
  echo "raw results and summary written to $results"
fi
