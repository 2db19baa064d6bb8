#!/bin/bash
# Measures the update size of chunked images: the compressed bytes a node that has v1 downloads to
# get v2, where v2 is the Debian minbase tree v1 with a few packages installed by apt-get.
#
# Usage: modules/bench/scripts/update-size.sh [-w DIR] [--packages "PKG ..."] [--keep]
#
#   -w DIR        where the work directory is created (default ${TMPDIR:-/tmp})
#   --packages    packages to install into v2 (default: "less xz-utils bzip2 file")
#   --keep        keep the work directory
#
# Needs root (chroot, apt-get inside it) and network access to the Debian mirror.
#
# Method. v1 is the cached minbase root filesystem (scripts/debian-minbase.sh); v2 is a copy with
# the packages installed by `apt-get install --no-install-recommends` in a chroot (apt's caches
# and logs emptied afterwards, as an image build would). Both are committed with ostree4j into one
# bare-user repository (owner 0:0, fixed timestamp) and encapsulated (gzip, default chunking):
# v1, then v2 with --prior-build v1, and v2 without a prior build; also both as single-layer
# images (--max-layers=0). The update size is the sum of the compressed sizes of the v2 layers
# whose digests are not among v1's layers (layer 0 always counts: it holds the new commit). The
# ideal is the gzip -6 size of a tar of just the files that differ between v1 and v2 (new or
# changed content, by path).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
o4j=$root/bin/ostree4j
parent=${TMPDIR:-/tmp}
packages="less xz-utils bzip2 file"
keep=0

while [ $# -gt 0 ]; do
  case "$1" in
    -w) parent=$2; shift 2 ;;
    --packages) packages=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "update-size: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "update-size: needs root (chroot)" >&2; exit 1; }

work=$(mktemp -d "$parent/update-size.XXXXXX")
cleanup() {
  umount "$work/v2/proc" 2>/dev/null || true
  umount "$work/v2/dev" 2>/dev/null || true
  if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "work directory kept: $work" >&2; fi
}
trap cleanup EXIT

v1=$("$root/scripts/debian-minbase.sh")
echo "v2 = v1 + $packages" >&2
cp -a "$v1" "$work/v2"
cp /etc/resolv.conf "$work/v2/etc/resolv.conf"
mount -t proc proc "$work/v2/proc"
mount --bind /dev "$work/v2/dev"
chroot "$work/v2" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
chroot "$work/v2" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends $packages >/dev/null
umount "$work/v2/proc"
umount "$work/v2/dev"
chroot "$work/v2" apt-get clean
rm -rf "$work/v2/var/lib/apt/lists/"* "$work/v2/var/log/apt/"*
cp "$v1/etc/resolv.conf" "$work/v2/etc/resolv.conf" 2>/dev/null || rm -f "$work/v2/etc/resolv.conf"

repo=$work/repo
"$o4j" init --repo="$repo" --mode=bare-user >/dev/null
opts=(--owner-uid=0 --owner-gid=0 --timestamp=2024-01-01T00:00:00Z)
"$o4j" commit --repo="$repo" -b v1 "${opts[@]}" "$v1" >/dev/null
"$o4j" commit --repo="$repo" -b v2 "${opts[@]}" "$work/v2" >/dev/null

img=$work/images
"$o4j" container encapsulate --repo="$repo" v1 "oci:$img:v1" >/dev/null
"$o4j" container encapsulate --repo="$repo" --prior-build "oci:$img:v1" v2 "oci:$img:v2" >/dev/null
"$o4j" container encapsulate --repo="$repo" v2 "oci:$img:v2-fresh" >/dev/null
"$o4j" container encapsulate --repo="$repo" --max-layers=0 v1 "oci:$img:v1-single" >/dev/null
"$o4j" container encapsulate --repo="$repo" --max-layers=0 v2 "oci:$img:v2-single" >/dev/null

# The files that differ: new paths, or paths whose content, mode or link target changed.
python3 - "$v1" "$work/v2" > "$work/changed" <<'PYEOF'
import filecmp, os, stat, sys
a, b = sys.argv[1], sys.argv[2]
for dirpath, dirs, files in os.walk(b):
    for name in files:
        pb = os.path.join(dirpath, name)
        rel = os.path.relpath(pb, b)
        pa = os.path.join(a, rel)
        sb = os.lstat(pb)
        if not (stat.S_ISREG(sb.st_mode) or stat.S_ISLNK(sb.st_mode)):
            continue
        try:
            sa = os.lstat(pa)
        except FileNotFoundError:
            print("./" + rel)
            continue
        if stat.S_IFMT(sa.st_mode) != stat.S_IFMT(sb.st_mode) or stat.S_IMODE(sa.st_mode) != stat.S_IMODE(sb.st_mode):
            print("./" + rel)
        elif stat.S_ISLNK(sb.st_mode):
            if os.readlink(pa) != os.readlink(pb):
                print("./" + rel)
        elif not filecmp.cmp(pa, pb, shallow=False):
            print("./" + rel)
PYEOF
ideal=$(tar -C "$work/v2" --no-recursion -cf - -T "$work/changed" | gzip -6 | wc -c)

python3 - "$img" "$ideal" "$(wc -l < "$work/changed")" "$packages" <<'EOF'
import json, sys
img, ideal, nchanged, pkgs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
index = json.load(open(f"{img}/index.json"))
by_tag = {m["annotations"]["org.opencontainers.image.ref.name"]: m["digest"] for m in index["manifests"]}
def layers(tag):
    m = json.load(open(f"{img}/blobs/sha256/{by_tag[tag][7:]}"))
    return [(l["digest"], l["size"]) for l in m["layers"]]
def update(old, new):
    have = {d for d, _ in layers(old)}
    new_layers = [(d, s) for d, s in layers(new) if d not in have]
    return len(new_layers), sum(s for _, s in new_layers), len(layers(new))
mb = lambda n: f"{n / 1e6:.2f} MB"
print(f"v2 = v1 + {pkgs}: {nchanged} files differ; ideal (gzip -6 of just those files): {mb(ideal)}")
print()
print("| image pair | layers in v2 | v2 layers not in v1 | bytes to download | vs ideal |")
print("|---|---|---|---|---|")
for label, old, new in [("chunked, v2 with --prior-build v1", "v1", "v2"),
                        ("chunked, v2 without prior build", "v1", "v2-fresh"),
                        ("single layer", "v1-single", "v2-single")]:
    n, size, total = update(old, new)
    print(f"| {label} | {total} | {n} | {mb(size)} | {size / ideal:.2f}x |")
EOF
