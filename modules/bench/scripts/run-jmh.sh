#!/bin/bash
# Builds the JMH benchmarks, runs them and prints the results, with content checksum throughput
# converted to MB/s (10^6 bytes per second) and compared with raw SHA-256.
#
# Usage: modules/bench/scripts/run-jmh.sh [options] [-- JMH arguments]
#
#   --no-build        use the existing modules/bench/target/benchmarks.jar
#   --quick           1 short warm-up and measurement iteration per benchmark (a smoke test;
#                     numbers are not reliable)
#   --c1              run the benchmark JVMs with -XX:TieredStopAtLevel=1 (C1 only), to see what a
#                     launcher with that flag gets
#   --jvm-args ARGS   extra flags for the benchmark JVMs (e.g. "-XX:+UseSerialGC")
#   --out DIR         where the CSV and the log go (default modules/bench/target/jmh)
#   -- ARGS           passed to JMH as they are: a benchmark regexp (e.g. GVariant),
#                     -p size=65536, -f 2, -prof gc, ...
#
# A full run (all benchmarks with the iteration counts in their annotations: 3 x 1 s warm-up,
# 5 x 1 s measurement, 1 fork) takes about 4 minutes. The write benchmarks put their scratch
# repositories in /dev/shm (override with --jvm-args -Dostree4j.bench.dir=DIR).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
jar=$root/modules/bench/target/benchmarks.jar

build=1
out=$root/modules/bench/target/jmh
jvm_args=()
jmh_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --quick) jmh_args+=(-wi 1 -w 300ms -i 1 -r 500ms); shift ;;
    --c1) jvm_args+=(-XX:TieredStopAtLevel=1); shift ;;
    --jvm-args) read -r -a extra <<<"$2"; jvm_args+=("${extra[@]}"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; jmh_args+=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) jmh_args+=("$1"); shift ;;
  esac
done

if [ "$build" = 1 ]; then
  echo "== building modules/bench" >&2
  (cd "$root" && mvn -q -B -DskipTests -pl modules/bench -am package)
fi
[ -f "$jar" ] || { echo "run-jmh: $jar is missing (build without --no-build)" >&2; exit 1; }

mkdir -p "$out"
csv=$out/jmh.csv
logfile=$out/jmh.log
if [ ${#jvm_args[@]} -gt 0 ]; then
  jmh_args=(-jvmArgsAppend "${jvm_args[*]}" "${jmh_args[@]}")
fi

echo "== $(java -version 2>&1 | head -n 1); $(nproc) CPUs; $(. /etc/os-release && echo "$PRETTY_NAME")" | tee "$logfile"
echo "== java -jar modules/bench/target/benchmarks.jar -rf csv -rff $csv ${jmh_args[*]:-}" | tee -a "$logfile"
LC_ALL=C.UTF-8 java -Duser.language=en -Duser.country=US -jar "$jar" -rf csv -rff "$csv" "${jmh_args[@]}" 2>&1 | tee -a "$logfile"

# CSV columns: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"[,"Param: size"]
echo
echo "== content checksum throughput (MB/s = ops/s x size / 10^6; ± is JMH's 99.9% error)"
awk -F, '
  function unq(s) { gsub(/"/, "", s); return s }
  { sub(/\r$/, "") }
  NR == 1 { for (i = 1; i <= NF; i++) if (unq($i) == "Param: size") col = i; next }
  {
    b = unq($1); if (b !~ /ContentChecksumBenchmark/ || !col) next
    sub(/.*\./, "", b); size = unq($col) + 0
    mbs[b, size] = unq($5) * size / 1e6; err[b, size] = unq($6) * size / 1e6
    sizes[size] = 1; names[b] = 1
  }
  END {
    if (length(sizes) == 0) exit
    n = split("rawSha256 contentChecksum writeBareUserFromFile writeBareUserFromStream writeArchiveFromFile writeArchiveFromStream", order, " ")
    printf "| size |"; for (i = 1; i <= n; i++) if (order[i] in names) printf " %s |", order[i]
    printf " contentChecksum / rawSha256 (target ≥ 0.80) |\n|---:|"
    for (i = 1; i <= n; i++) if (order[i] in names) printf "---:|"
    printf "---:|\n"
    m = 0; for (s in sizes) list[++m] = s + 0
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (list[j] < list[i]) { t = list[i]; list[i] = list[j]; list[j] = t }
    for (k = 1; k <= m; k++) {
      s = list[k]
      label = (s >= 1048576) ? (s / 1048576) " MiB" : (s / 1024) " KiB"
      printf "| %s |", label
      for (i = 1; i <= n; i++) if (order[i] in names) printf " %.0f ± %.0f |", mbs[order[i], s], err[order[i], s]
      if (mbs["rawSha256", s] > 0 && mbs["contentChecksum", s] > 0) {
        r = mbs["contentChecksum", s] / mbs["rawSha256", s]
        printf " %.2f (%s) |\n", r, ((r >= 0.80) ? "met" : "missed")
      } else printf " - |\n"
    }
  }' "$csv"

echo
echo "== GVariant (µs per operation)"
awk -F, '
  function unq(s) { gsub(/"/, "", s); return s }
  { sub(/\r$/, "") }
  NR == 1 { next }
  {
    b = unq($1); if (b !~ /GVariantBenchmark/) next
    sub(/.*\./, "", b)
    if (!hdr) { print "| benchmark | µs/op | ± |"; print "|---|---:|---:|"; hdr = 1 }
    printf "| %s | %.2f | %.2f |\n", b, unq($5), unq($6)
  }' "$csv"
echo
echo "CSV: $csv; log: $logfile"
