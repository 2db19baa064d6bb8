# Helpers shared by the benchmark scripts; sourced, never run.
#
#   . "$here/lib.sh"
#   bench=NAME   # the script's name in messages
#
# die MSG...            prints "NAME: MSG" on stderr and exits 1
# usage [STATUS]        prints the script's header comment (up to `set -euo`) and exits
# busy_ticks            jiffies all CPUs spent busy so far
# wait_for_idle Q MAX   waits until the CPUs were < 10% busy for Q seconds in a row (at most MAX
#                       seconds); prints how long it waited
# snapshot_launcher DIR copies bin/ostree4j, its compiler directives and the jar of the checkout
#                       ($root) into DIR, so that a rebuild during the runs changes nothing
# free_port             a free TCP port on 127.0.0.1
# start_registry DIR    starts docker-registry on a free port with its storage under DIR; sets
#                       reg_port, reg_pid and reg_log and adds the pid to the array pids

die() { echo "${bench:-bench}: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit "${1:-0}"; }

# user nice system irq softirq steal
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }

wait_for_idle() {
  local need=$1 max=$2 quiet=0 waited=0 a b hz ncpu
  hz=$(getconf CLK_TCK)
  ncpu=$(nproc)
  while [ $quiet -lt "$need" ]; do
    a=$(busy_ticks); sleep 1; b=$(busy_ticks)
    waited=$((waited + 1))
    if [ $(((b - a) * 10)) -lt $((hz * ncpu)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    if [ $waited -ge "$max" ]; then echo "$waited (still busy)"; return; fi
  done
  echo "$waited"
}

snapshot_launcher() {
  local dir=$1
  mkdir -p "$dir/bin" "$dir/modules/cli/target"
  cp -p "$root/bin/ostree4j" "$root/bin/ostree4j.directives.json" "$dir/bin/"
  cp -p "$root/modules/cli/target/ostree4j.jar" "$dir/modules/cli/target/"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_registry() {
  local dir=$1
  mkdir -p "$dir/storage"
  reg_port=$(free_port)
  reg_log=$dir/registry.log
  cat > "$dir/config.yml" <<EOF
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/storage
http:
  addr: 127.0.0.1:$reg_port
EOF
  docker-registry serve "$dir/config.yml" > "$reg_log" 2>&1 &
  reg_pid=$!
  pids+=("$reg_pid")
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$reg_port/v2/" && return 0
    sleep 0.05
  done
  die "registry on port $reg_port did not start (see $reg_log)"
}
