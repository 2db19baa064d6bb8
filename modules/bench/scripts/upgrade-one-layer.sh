#!/bin/bash
# Measures a node upgrade where one component layer of a 200 MB chunked image changed:
# `ostree4j upgrade` (through bin/ostree4j, JVM start included; manifest check, download, import
# and deployment) on a scratch sysroot that runs v1, after v2 was pushed under the same tag. Wall
# time, peak RSS and the bytes that came from the registry, counted exactly by a TCP proxy.
#
# Usage: modules/bench/scripts/upgrade-one-layer.sh [options]       (as root)
#
#   -n RUNS          measured upgrades, each on its own fresh sysroot (default 5)
#   --warmup N       unrecorded upgrades first, on sysroots of their own (default 1; the first
#                    also records bin/ostree4j's class data sharing archive for `upgrade`)
#   --change PATH    the file of the tree replaced in v2 (default usr/share/doc/gzip/changelog.gz);
#                    it must be a regular file that exactly one dpkg package lists, so that the
#                    change stays in that package's layer
#   --size MIB       size of the new, incompressible content of PATH (default 5)
#   --pad MIB        incompressible content added to both versions, unchanged, outside every
#                    package (usr/share/bench-pad), so that the tree is over 200 MiB (default 16;
#                    0 for the plain minbase tree)
#   --compression C  layer compression, gzip or zstd (default gzip, as `container encapsulate`)
#   -w DIR           where the work directory is created (default ${TMPDIR:-/tmp}); put it on
#                    the disk you want to measure
#   --settle SEC     sleep after the pre-run sync (default 5)
#   --pause SEC      sleep between runs (default 1)
#   --wait-idle      on a shared machine: before starting, wait (up to 30 minutes) until other
#                    processes use less than 10% of the CPUs for 10 seconds in a row, and before
#                    each run for 3 seconds (up to 10 minutes)
#   --results FILE   also write the raw results (tab separated) and the summary to FILE
#   --keep           keep the work directory (images, sysroots, logs)
#
# Environment: OSTREE4J_JAVA_OPTS (passed on by bin/ostree4j).
#
# Image. The Debian 12 minbase tree (scripts/debian-minbase.sh) in ostree layout (etc moved to
# usr/etc) with a small fake kernel and initramfs in usr/lib/modules/6.1.0-bench, committed
# `--bootable` with ostree4j into a bare-user repository (owners as on disk, fixed timestamps)
# and encapsulated with the default chunking: v1. v2 is the same tree with PATH replaced by SIZE
# MiB of pseudo-random bytes (and its line in the package's md5sums updated, as a package upgrade
# would), encapsulated with --prior-build v1 so that every other layer keeps its digest. The
# script checks that v2 differs from v1 in exactly two layers: layer 0 (the commit, always new)
# and the layer of PATH's package ("the changed layer").
#
# Method. A docker-registry (Debian package) serves the images on 127.0.0.1; the nodes reach it
# only through a counting TCP proxy on another port, which adds up the bytes of every connection
# in both directions. v1 is pushed as bench/os:latest and every sysroot (warm-up and measured
# runs) is set up up front: `admin init-fs`, `admin os-init bench`, `rebase` onto
# ostree-unverified-registry:127.0.0.1:PROXY/bench/os:latest (not timed). Then v2 is pushed under
# the same tag, the filesystem is synced and left to settle, and the runs follow, each on its own
# sysroot, none deleting anything before the end:
#   1. `upgrade --check` (timed, reported apart; must exit 0: an update is available; not in
#      warm-up runs, so that the class archive is recorded by a whole upgrade),
#   2. `upgrade` (timed: this is the number), with the bytes the proxy forwarded during it and
#      the registry's access log lines for it (which blobs, which sizes),
#   3. checks (not timed): `upgrade --check` now exits 77, `status --json` shows v2's digest as
#      the default with v1 as rollback, `ostree admin status` lists two deployments.
# Wall time and peak RSS come from /usr/bin/time -f '%e %M' (plus user and system CPU time); the
# CPU time the rest of the machine used during each run is recorded as "other_cpu_s". The lines
# `upgrade` prints are time-stamped as they arrive (bash's EPOCHREALTIME) to split the wall
# time into phases: start and manifest check, download and import, checkout and /etc merge, boot
# configuration and switch, cleanup. "Bytes downloaded" is what the proxy forwarded from the
# registry to the node during `upgrade`: HTTP headers and bodies of every request, manifests and
# config included. The target is at most 1.1 times the changed layer's (compressed) size.
set -euo pipefail
export LC_NUMERIC=C # EPOCHREALTIME and awk with a decimal point

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
ostree4j=$root/bin/ostree4j

runs=5
warmup=1
change=usr/share/doc/gzip/changelog.gz
size_mib=5
pad_mib=16
compression=gzip
parent=${TMPDIR:-/tmp}
settle=5
pause=1
wait_idle=0
results=
keep=0
kver=6.1.0-bench
os=bench
target_ratio=1.1

# shellcheck source=lib.sh
. "$here/lib.sh"
bench=upgrade-one-layer

while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --change) change=${2#/}; shift 2 ;;
    --size) size_mib=$2; shift 2 ;;
    --pad) pad_mib=$2; shift 2 ;;
    --compression) compression=$2; shift 2 ;;
    -w) parent=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --pause) pause=$2; shift 2 ;;
    --wait-idle) wait_idle=1; shift ;;
    --results) results=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option $1" >&2; usage 2 >&2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "-n needs a positive number"
[[ "$warmup" =~ ^[0-9]+$ ]] || die "--warmup needs a number"
if [ "$warmup" = 0 ]; then
  echo "upgrade-one-layer: warning: without a warm-up, the first \`upgrade --check\` records the launcher's" \
    "class archive for \`upgrade\`, without the classes of the import and the deployment" >&2
fi
[[ "$size_mib" =~ ^[1-9][0-9]*$ ]] || die "--size needs a positive number of MiB"
[[ "$pad_mib" =~ ^[0-9]+$ ]] || die "--pad needs a number of MiB"
case "$compression" in gzip|zstd) ;; *) die "--compression must be gzip or zstd" ;; esac
case "$change" in usr/etc/*|etc/*) die "--change must not be under etc (the /etc merge would see it)" ;; esac

[ "$(id -u)" = 0 ] || die "needs root (sysroot repositories are in mode bare)"
for t in docker-registry ostree python3 openssl curl md5sum; do
  command -v "$t" >/dev/null || die "$t is not installed (scripts/install-peers.sh installs the peers)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is required"
[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "needs bash 5 (EPOCHREALTIME)"

rootfs=$("$root/scripts/debian-minbase.sh")

# Build the CLI if needed, then run a snapshot of the launcher and the jar, so that a rebuild in
# the checkout during the runs cannot change what is measured (see commit-vs-ostree.sh).
"$ostree4j" --version >/dev/null
mkdir -p "$parent"
work=$(mktemp -d "$parent/upgrade-one-layer.XXXXXX")
log=$work/logs
mkdir -p "$log"
snap=$work/ostree4j
snapshot_launcher "$snap"
o4j=$snap/bin/ostree4j
"$o4j" --version >/dev/null 2>&1
jar_sum=$(sha256sum "$snap/modules/cli/target/ostree4j.jar" | cut -c1-16)
git_rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then git_rev="$git_rev+local changes"; fi

pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$keep" = 1 ] || [ $rc -ne 0 ]; then
    echo "upgrade-one-layer: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

hz=$(getconf CLK_TCK)
ncpu=$(nproc)

total=$((warmup + runs))
echo "== upgrade-one-layer"
echo "tree:      $rootfs (Debian minbase, $(du -sh --apparent-size "$rootfs" | cut -f1)) in ostree layout + fake kernel $kver"
echo "change:    /$change replaced by $size_mib MiB of pseudo-random bytes in v2; $compression layers"
echo "work dir:  $work ($(df -T "$work" | awk 'NR==2 {print $2" on "$1}'))"
echo "ostree4j:  $ostree4j, run from a snapshot in the work dir (jar sha256 $jar_sum..., checkout $git_rev)"
echo "java:      $("${JAVA:-java}" -version 2>&1 | head -n 1); OSTREE4J_JAVA_OPTS='${OSTREE4J_JAVA_OPTS:-}'"
echo "machine:   $ncpu CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
echo "runs:      $runs measured + $warmup warm-up, each on its own sysroot"

# ---------------------------------------------------------------- images v1 and v2
echo "-- building v1 and v2"
tree=$work/tree
# Hard links to the cached tree where possible: v2's change replaces files, never writes into
# them, so the cache is never modified.
cp -al "$rootfs" "$tree" 2>/dev/null || { rm -rf "$tree"; cp -a "$rootfs" "$tree"; }
[ -f "$tree/$change" ] && [ ! -L "$tree/$change" ] || die "/$change is not a regular file of the tree"
mapfile -t owners < <(grep -Flx "/$change" "$tree"/var/lib/dpkg/info/*.list || true)
[ "${#owners[@]}" = 1 ] || die "/$change must be listed by exactly one package (found: ${#owners[@]})"
list=${owners[0]}
pkg=$(basename "$list" .list)
pkg_name=${pkg%%:*}
mv "$tree/etc" "$tree/usr/etc"
if [ "$pad_mib" -gt 0 ]; then
  mkdir -p "$tree/usr/share/bench-pad"
  { openssl enc -aes-128-ctr -nosalt -pass pass:upgrade-one-layer-pad -in /dev/zero 2>/dev/null || true; } \
    | head -c $((pad_mib << 20)) > "$tree/usr/share/bench-pad/pad.bin"
  [ "$(stat -c %s "$tree/usr/share/bench-pad/pad.bin")" = $((pad_mib << 20)) ] || die "could not write the padding"
fi
echo "tree size: $(du -s --apparent-size --block-size=1M "$tree" | cut -f1) MiB (minbase + ${pad_mib} MiB padding)"
mkdir -p "$tree/usr/lib/modules/$kver"
printf 'not a real kernel\n' > "$tree/usr/lib/modules/$kver/vmlinuz"
printf 'not a real initramfs\n' > "$tree/usr/lib/modules/$kver/initramfs.img"

build=$work/build-repo
images=$work/images
"$o4j" init --repo="$build" --mode=bare-user >/dev/null
"$o4j" commit --repo="$build" -b os --bootable --timestamp=2024-01-01T00:00:00Z \
  --add-metadata-string=version=1 --subject="bench v1" "$tree" >/dev/null
"$o4j" container encapsulate --repo="$build" --compression="$compression" os "oci:$images:v1" >/dev/null

rm -f "$tree/$change"
{ openssl enc -aes-128-ctr -nosalt -pass pass:upgrade-one-layer -in /dev/zero 2>/dev/null || true; } \
  | head -c $((size_mib << 20)) > "$tree/$change"
chmod 0644 "$tree/$change"
[ "$(stat -c %s "$tree/$change")" = $((size_mib << 20)) ] || die "could not write $size_mib MiB to /$change"
sums=$tree/var/lib/dpkg/info/$pkg.md5sums
if [ -f "$sums" ] && grep -q "  $change\$" "$sums"; then
  new_sum=$(md5sum < "$tree/$change" | cut -d' ' -f1)
  # sed -i writes a new file and renames it: the cached tree's copy stays as it is
  sed -i "s|^[0-9a-f]*  $change\$|$new_sum  $change|" "$sums"
fi
"$o4j" commit --repo="$build" -b os --bootable --timestamp=2024-01-02T00:00:00Z \
  --add-metadata-string=version=2 --subject="bench v2" "$tree" >/dev/null
"$o4j" container encapsulate --repo="$build" --compression="$compression" \
  --prior-build "oci:$images:v1" os "oci:$images:v2" >/dev/null
rm -rf "$tree" "$build"

# The layers v2 does not share with v1: exactly layer 0 and the layer of the changed package.
python3 - "$images" "$pkg_name" > "$work/image.env" <<'EOF'
import json, os, sys
images, pkg = sys.argv[1], sys.argv[2]
index = json.load(open(f"{images}/index.json"))
def manifest(tag):
    d = next(m["digest"] for m in index["manifests"]
             if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag)
    return d, json.load(open(f"{images}/blobs/sha256/{d[7:]}"))
d1, m1 = manifest("v1")
d2, m2 = manifest("v2")
old = {l["digest"] for l in m1["layers"]}
new = [(i, l) for i, l in enumerate(m2["layers"]) if l["digest"] not in old]
comps = lambda l: (l.get("annotations") or {}).get("ostree.components", "")
if len(new) != 2 or new[0][0] != 0 or pkg not in comps(new[1][1]).split(","):
    sys.exit("v2 does not differ from v1 in exactly layer 0 and the layer of %s: %s" % (
        pkg, [(i, comps(l)[:60], l["size"]) for i, l in new]))
ci, cl = new[1]
print(f"v1_digest={d1}")
print(f"v2_digest={d2}")
print(f"layers={len(m2['layers'])}")
print(f"image_bytes={sum(l['size'] for l in m2['layers']) + m2['config']['size']}")
print(f"changed_index={ci}")
print(f"changed_digest={cl['digest']}")
print(f"changed_size={cl['size']}")
print(f"changed_components='{comps(cl)}'")
print(f"layer0_digest={new[0][1]['digest']}")
print(f"layer0_size={new[0][1]['size']}")
print(f"config_digest={m2['config']['digest']}")
print(f"config_size={m2['config']['size']}")
print(f"manifest_size={os.path.getsize(images + '/blobs/sha256/' + d2[7:])}")
EOF
# shellcheck disable=SC1091
. "$work/image.env"
echo "   v1 $v1_digest, v2 $v2_digest: $layers layers, $image_bytes bytes of blobs"
echo "   changed layer $changed_index ($changed_components): $changed_size bytes; layer 0: $layer0_size bytes; config $config_size, manifest $manifest_size bytes"

# ---------------------------------------------------------------- registry and counting proxy
start_registry "$work/registry"

# The proxy: one thread per direction and connection; the totals (connections so far, open
# connections, bytes node->registry, bytes registry->node) are rewritten to a file whenever a
# connection opens or closes.
cat > "$work/proxy.py" <<'EOF'
import os, socket, sys, threading
port_file, target_port, stats_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
st = {"conns": 0, "open": 0, "up": 0, "down": 0}
def publish():
    tmp = stats_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d %d %d\n" % (st["conns"], st["open"], st["up"], st["down"]))
    os.replace(tmp, stats_file)
def pipe(src, dst, key):
    try:
        while True:
            b = src.recv(262144)
            if not b:
                break
            dst.sendall(b)
            with lock:
                st[key] += len(b)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass
def handle(c):
    try:
        u = socket.create_connection(("127.0.0.1", target_port))
        for s in (c, u):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t = threading.Thread(target=pipe, args=(u, c, "down"), daemon=True)
        t.start()
        pipe(c, u, "up")
        t.join()
        u.close()
    except OSError:
        pass
    finally:
        c.close()
        with lock:
            st["open"] -= 1
            publish()
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(128)
with lock:
    publish()
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % srv.getsockname()[1])
os.replace(port_file + ".tmp", port_file)
while True:
    c, _ = srv.accept()
    with lock:
        st["conns"] += 1
        st["open"] += 1
        publish()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
EOF
stats=$work/proxy.stats
python3 "$work/proxy.py" "$work/proxy.port" "$reg_port" "$stats" 2> "$log/proxy.err" &
pids+=($!)
for _ in $(seq 100); do
  [ -s "$work/proxy.port" ] && curl -s -o /dev/null "http://127.0.0.1:$reg_port/v2/" && break
  sleep 0.05
done
[ -s "$work/proxy.port" ] || die "the counting proxy did not start (see $log/proxy.err)"
curl -s -o /dev/null "http://127.0.0.1:$reg_port/v2/" || die "the registry on port $reg_port did not start (see $reg_log)"
proxy_port=$(cat "$work/proxy.port")
tag=127.0.0.1:$reg_port/bench/os:latest
image=ostree-unverified-registry:127.0.0.1:$proxy_port/bench/os:latest
echo "registry:  127.0.0.1:$reg_port (docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}')); nodes use $image"

# proxy_idle: waits until no connection is open; prints "up down" (totals so far).
proxy_idle() {
  local c o u d
  for _ in $(seq 200); do
    read -r c o u d < "$stats"
    if [ "$o" = 0 ]; then echo "$u $d"; return; fi
    sleep 0.05
  done
  die "connections through the proxy stay open: $(cat "$stats")"
}

push() { # TAG-IN-LAYOUT EXPECTED-DIGEST
  "$o4j" copy -q --dest-tls-verify=false --digestfile "$work/pushed" "oci:$images:$1" "docker://$tag" \
    > "$log/push-$1.log" 2>&1 || { cat "$log/push-$1.log" >&2; die "pushing $1 failed"; }
  [ "$(cat "$work/pushed")" = "$2" ] || die "pushed $1 as $(cat "$work/pushed"), expected $2"
}

# ---------------------------------------------------------------- sysroots on v1
push v1 "$v1_digest"
label_of() { if [ "$1" -le "$warmup" ]; then echo "w$1"; else echo $(($1 - warmup)); fi; }
echo "-- rebasing $total fresh sysroots onto v1 (not timed)"
for ((i = 1; i <= total; i++)); do
  s=$work/sysroot-$(label_of "$i")
  "$o4j" admin init-fs "$s" >/dev/null
  "$o4j" admin os-init --sysroot="$s" "$os" >/dev/null
  if ! "$o4j" rebase --sysroot="$s" --tls-verify=false "$image" > "$log/rebase-$i.log" 2>&1; then
    cat "$log/rebase-$i.log" >&2
    die "rebasing $s onto v1 failed"
  fi
  grep -q "^Deployed $image ($v1_digest)" "$log/rebase-$i.log" || { cat "$log/rebase-$i.log" >&2; die "rebase deployed no v1"; }
done
push v2 "$v2_digest"
echo "-- v2 pushed under the same tag; sync; sleep $settle"
sync
sleep "$settle"
if [ "$wait_idle" = 1 ]; then
  echo "-- waiting until the machine is idle (other CPU use < 10% for 10 s)"
  echo "   waited $(wait_for_idle 10 1800) s"
fi
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- runs
raw=$work/results.tsv
printf 'run\twall_s\tmaxrss_kib\tuser_s\tsys_s\tother_cpu_s\tcheck_wall_s\tup_bytes\tdown_bytes\tblob_bytes\tt_plan\tt_fetched\tt_etc\tt_boot\tt_done\n' > "$raw"

# timed NAME -- command...: runs it under /usr/bin/time; stdout lines are stamped with the seconds
# since the start; sets t_wall t_rss t_user t_sys t_other and t_rc.
timed() {
  local name=$1 t0 a b
  shift 2
  a=$(busy_ticks)
  t0=$EPOCHREALTIME
  t_rc=0
  /usr/bin/time -f '%e %M %U %S' -o "$log/$name.time" "$@" 2> "$log/$name.err" \
    | while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done \
    | awk -v t0="$t0" '{s = $1; sub(/^[^ ]+ /, ""); printf "%7.3f %s\n", s - t0, $0}' > "$log/$name.out" \
    || t_rc=$?
  b=$(busy_ticks)
  read -r t_wall t_rss t_user t_sys < <(tail -n 1 "$log/$name.time")
  t_other=$(awk -v d=$((b - a)) -v hz="$hz" -v u="$t_user" -v s="$t_sys" 'BEGIN {o = d / hz - u - s; printf "%.2f", (o < 0 ? 0 : o)}')
}
# stamp NAME PATTERN: seconds at which the first stdout line matching PATTERN was printed
stamp() { awk -v p="$2" '$0 ~ p {print $1; found = 1; exit} END {if (!found) print "nan"}' "$log/$1.out"; }

for ((i = 1; i <= total; i++)); do
  label=$(label_of "$i")
  s=$work/sysroot-$label
  if [ "$wait_idle" = 1 ]; then
    waited=$(wait_for_idle 3 600)
    if [ "$waited" != 3 ]; then echo "   (waited $waited s for the machine to be idle)"; fi
  fi
  # 1. the check alone. Not in warm-up runs: the first run of `upgrade` records the launcher's
  # class archive for every later `upgrade`, and it must be a whole upgrade, not a check.
  check_wall=nan
  if [ "$i" -gt "$warmup" ]; then
    timed "check-$label" -- "$o4j" upgrade --check --sysroot="$s" --tls-verify=false
    [ "$t_rc" = 0 ] || { cat "$log/check-$label.out" "$log/check-$label.err" >&2; die "upgrade --check exited $t_rc, expected 0 (update available)"; }
    grep -q "Update available: $image $v2_digest" "$log/check-$label.out" || die "upgrade --check found no update ($log/check-$label.out)"
    check_wall=$t_wall
    sleep "$pause"
  fi
  # 2. the upgrade
  read -r up0 down0 < <(proxy_idle)
  mark=$(wc -l < "$reg_log")
  timed "upgrade-$label" -- "$o4j" upgrade --sysroot="$s" --tls-verify=false
  if [ "$t_rc" != 0 ]; then cat "$log/upgrade-$label.out" "$log/upgrade-$label.err" >&2; die "upgrade failed (run $label)"; fi
  read -r up1 down1 < <(proxy_idle)
  sleep 0.5 # access-log lines are written just after their responses
  tail -n +$((mark + 1)) "$reg_log" | grep -E '"(GET|HEAD) /v2/' > "$log/upgrade-$label.access" || true
  blob_bytes=$(awk '/"GET [^ ]*\/blobs\/sha256:[0-9a-f]+ HTTP[^"]*" 200 / {for (k = 1; k < NF; k++) if ($k ~ /^HTTP\/[0-9.]+"$/) {s += $(k + 2); break}} END {print s + 0}' "$log/upgrade-$label.access")
  grep -q "^ *[0-9.]* Deployed $image ($v2_digest)" "$log/upgrade-$label.out" || die "upgrade deployed no v2 ($log/upgrade-$label.out)"
  t_plan=$(stamp "upgrade-$label" 'layers (already present|needed)')
  t_fetched=$(stamp "upgrade-$label" ' Fetched [0-9]+ layers')
  t_etc=$(stamp "upgrade-$label" ' Copying /etc changes')
  t_boot=$(stamp "upgrade-$label" ' Bootloader updated')
  t_done=$(stamp "upgrade-$label" ' Deployed ')
  # 3. checks, not timed
  rc=0
  "$o4j" upgrade --check --sysroot="$s" --tls-verify=false > "$log/recheck-$label.out" 2>&1 || rc=$?
  [ "$rc" = 77 ] || { cat "$log/recheck-$label.out" >&2; die "upgrade --check after the upgrade exited $rc, expected 77"; }
  "$o4j" status --json --sysroot="$s" > "$log/status-$label.json"
  python3 - "$log/status-$label.json" "$v2_digest" "$v1_digest" <<'EOF' || die "status after the upgrade is wrong (run $label)"
import json, sys
st = json.load(open(sys.argv[1]))["status"]
assert st["booted"]["image"]["imageDigest"] == sys.argv[2], st["booted"]
assert st["rollback"]["image"]["imageDigest"] == sys.argv[3], st["rollback"]
EOF
  [ "$(ostree admin status --sysroot="$s" 2>&1 | grep -c "^[ *] $os ")" = 2 ] \
    || { ostree admin status --sysroot="$s" >&2 || true; die "ostree admin status does not list two deployments (run $label)"; }
  up=$((up1 - up0))
  down=$((down1 - down0))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$t_wall" "$t_rss" "$t_user" "$t_sys" "$t_other" \
    "$check_wall" "$up" "$down" "$blob_bytes" "$t_plan" "$t_fetched" "$t_etc" "$t_boot" "$t_done" >> "$raw"
  printf '   run %-3s upgrade %6.2f s %6.1f MiB  cpu %5.2f s  other cpu %5.2f s | check %5.2f s | from registry %9d bytes (%.3fx the changed layer)\n' \
    "$label" "$t_wall" "$(awk -v r="$t_rss" 'BEGIN {print r / 1024}')" "$(awk -v u="$t_user" -v s="$t_sys" 'BEGIN {print u + s}')" "$t_other" \
    "$check_wall" "$down" "$(awk -v d="$down" -v c="$changed_size" 'BEGIN {print d / c}')"
  sleep "$pause"
done

# ---------------------------------------------------------------- summary
summary=$work/summary.md
python3 - "$raw" "$work/image.env" "$log" "$target_ratio" "$runs" "$warmup" > "$summary" <<'EOF'
import csv, glob, os, re, statistics, sys
raw, env_file, logdir, target, runs, warmup = sys.argv[1:7]
target = float(target)
env = {}
for line in open(env_file):
    k, v = line.rstrip("\n").split("=", 1)
    env[k] = v.strip("'")
rows = [r for r in csv.DictReader(open(raw), delimiter="\t") if not r["run"].startswith("w")]
med = lambda key: statistics.median(float(r[key]) for r in rows)
changed = int(env["changed_size"])
names = {env["changed_digest"]: ("changed layer", f"layer {env['changed_index']} ({env['changed_components']}), the changed layer"),
         env["layer0_digest"]: ("layer 0", "layer 0 (commit, dirtrees, dpkg state)"),
         env["config_digest"]: ("config", "config")}
print("| step | median | min–max |")
print("|---|---:|---:|")
def line(label, key, unit="s", fmt="%.2f"):
    vals = [float(r[key]) for r in rows]
    print(f"| {label} | {fmt % statistics.median(vals)} {unit} | {fmt % min(vals)}–{fmt % max(vals)} {unit} |")
line("**`upgrade`, total wall time** (check + download + import + deploy)", "wall_s")
line("`upgrade --check` alone", "check_wall_s")
def phase(label, a, b):
    vals = [float(r[b]) - (float(r[a]) if a else 0.0) for r in rows]
    if any(v != v for v in vals):
        return
    print(f"| &nbsp;&nbsp;{label} | {statistics.median(vals):.2f} s | {min(vals):.2f}–{max(vals):.2f} s |")
phase("JVM start, manifest and config, pre-flight, plan", None, "t_plan")
phase("download and import of the new layers", "t_plan", "t_fetched")
phase("checkout and /etc merge", "t_fetched", "t_etc")
phase("kernel, boot entries, switch", "t_etc", "t_boot")
phase("cleanup (prune)", "t_boot", "t_done")
print(f"| peak RSS | {max(int(r['maxrss_kib']) for r in rows) / 1024:.0f} MiB (max) | |")
print(f"| CPU user+sys | {statistics.median(float(r['user_s']) + float(r['sys_s']) for r in rows):.2f} s | |")
print()
downs = sorted(int(r["down_bytes"]) for r in rows)
ups = sorted(int(r["up_bytes"]) for r in rows)
d = downs[len(downs) // 2]
ratio = d / changed
verdict = "met" if max(downs) / changed <= target else "**missed**"
print(f"Bytes from the registry during `upgrade` (counted by the proxy, headers included): "
      f"**{d:,}**" + (f" (runs: {downs[0]:,}–{downs[-1]:,})" if downs[0] != downs[-1] else "")
      + f"; to the registry: {ups[len(ups) // 2]:,}.")
print(f"Changed layer: {changed:,} bytes (layer {env['changed_index']}, `{env['changed_components']}`); "
      f"ratio **{ratio:.3f}×** (target ≤ {target}×: {verdict}).")
print(f"Image: {env['layers']} layers, {int(env['image_bytes']):,} bytes of blobs; layer 0 {int(env['layer0_size']):,}, "
      f"config {int(env['config_size']):,}, manifest {int(env['manifest_size']):,} bytes.")
print()
first = sorted(glob.glob(os.path.join(logdir, "upgrade-[0-9]*.access")), key=lambda p: int(re.search(r"-(\d+)\.access$", p).group(1)))[0]
req = re.compile(r'"(GET|HEAD) (/v2/\S*) HTTP/[0-9.]+" (\d+) (\d+)')
print(f"Requests of run 1 (registry access log):")
print()
print("| request | status | body bytes | what |")
print("|---|---:|---:|---|")
kinds = {}
for l in open(first):
    m = req.search(l)
    if not m:
        continue
    method, path, status, n = m.groups()
    kind, what = "other", ""
    b = re.search(r"/blobs/(sha256:[0-9a-f]{64})", path)
    if b:
        kind, what = names.get(b.group(1), ("other blobs", "unexpected blob"))
        path = path.replace(b.group(1), b.group(1)[:19] + "…")
    elif "/manifests/" in path:
        kind = what = "manifest"
    elif path == "/v2/":
        kind, what = "API probes", "API probe"
    kinds[kind] = kinds.get(kind, 0) + int(n)
    print(f"| `{method} {path}` | {status} | {int(n):,} | {what} |")
run1 = next(int(r["down_bytes"]) for r in rows if r["run"] == "1")
print()
print(f"Run 1, {run1:,} bytes from the registry: " + ", ".join(f"{k} {v:,}" for k, v in kinds.items())
      + f", HTTP headers {run1 - sum(kinds.values()):,}.")
EOF
echo
echo "== raw runs"
column -t -s $'\t' "$raw" 2>/dev/null || cat "$raw"
echo
cat "$summary"
if [ -n "$results" ]; then { cat "$raw"; echo; cat "$summary"; } > "$results"; fi
