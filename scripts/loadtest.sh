#!/usr/bin/env bash
# Tunnel setups per second on the wire (issue 14): strongSwan's load-tester initiates N IKEv1 Main Mode PSK
# tunnels (3des-sha1-modp1024, ESP 3des-sha1, as the seed hub.cfg's policy and transform set), each from its own
# source address, against two hubs one after the other in the same run: our hub (`vpnrouter run` with the seed
# hub.cfg, addresses renumbered) and strongSwan's charon (Debian's, swanctl, an IKEv1 responder equivalent to the
# seed). Then a second load with ike_rekey = 0 (the load-tester proposes Life-Duration 0) against our hub: every
# SA must still be up 30 s later. Prints setups/s, the hub's CPU and RSS side by side.
#
#   scripts/loadtest.sh [-n N] [--zero-only] [--skip-strongswan] [--strongswan-only] [--ours-only] [--profile]
#     --ours-only: only the first load against our hub (no strongSwan hub, no ike_rekey = 0 load)
#     --profile: a JFR recording of our hub during its first load, top frames in target/loadtest/*/hub-top-frames.txt
#   scripts/loadtest.sh --scale -n 10000     our hub only, N tunnels held: heap and RSS per tunnel (idle, N/5 and N
#     up), time to establish them all, then the initiators' rekey wave (each reauthenticates ike_rekey s after its
#     set-up) with DPD every dpd_delay s: R-U-THERE answer times from a capture on the hub's link (dumpcap, tshark).
#     LOADTEST_SCALE_IKE_REKEY (3600: no wave, the tunnels are held 60 s; below LOADTEST_SCALE_WAVE_SECONDS (300)
#     the script waits for every initiator to reauthenticate once), LOADTEST_SCALE_DPD (30).
#     Fails when heap per tunnel > 8 KiB or RSS growth per tunnel > 16 KiB.
#   scripts/loadtest.sh --build-only          only build (or find in the cache) the load-tester; what CI runs.
#     VPNROUTER_LOADTESTER_CACHE=DIR builds into DIR (e.g. an empty scratch directory: a build from a clean state
#     that leaves the shared cache alone). Any download or build failure exits 1 with the reason.
#   Environment: LOADTEST_SETUP_TIMEOUT (s, default 300), LOADTEST_HOLD_SECONDS (30), LOADTEST_INIT_LIMIT (400
#   negotiations at once), LOADTEST_SWAN_LOG (strongSwan hub's log level, 0), VPNROUTER_LOADTESTER_CACHE.
#
# Root, Debian 12. Builds the load-tester once from Debian's strongSwan source package (deb-src, fetched with a
# private apt state: nothing under /etc/apt changes) with --enable-load-tester and a small patch
# (scripts/loadtest/load-tester-initiator-tsi-base.patch: each initiator claims a network of its own), into
# ${VPNROUTER_LOADTESTER_CACHE:-/var/cache/vpnrouter-loadtester}/strongswan-VERSION-vrN, linked as
# target/loadtester. It is never installed into the system: the Debian strongswan packages the other tests use
# stay as they are. Build dependencies are installed with apt when missing.
#
# Addresses: the hub's link is TEST-NET-1 (192.0.2.0/24), its inside TEST-NET-3 (203.0.113.0/24). 2,000 source
# addresses do not fit the three TEST-NETs (762 hosts), so the load-tester's sources come from the RFC 2544
# benchmarking block 198.18.0.0/16 and each initiator's network (Quick Mode IDci) from 198.19.0.0/16, /32 each.
# Namespaces are named ldt-<pid>-*, removed on exit (trap), and every wait is bounded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

N=2000
BUILD_ONLY=0
ZERO_ONLY=0
SKIP_SWAN=0
PROFILE=0
SWAN_ONLY=0
SCALE=0
OURS_ONLY=0
SETUP_TIMEOUT="${LOADTEST_SETUP_TIMEOUT:-300}"
HOLD_SECONDS="${LOADTEST_HOLD_SECONDS:-30}"
while [ $# -gt 0 ]; do
  case "$1" in
    -n) N="$2"; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    --build-only) BUILD_ONLY=1; shift ;;
    --zero-only) ZERO_ONLY=1; shift ;;
    --strongswan-only) SWAN_ONLY=1; shift ;;
    --skip-strongswan) SKIP_SWAN=1; shift ;;
    --scale) SCALE=1; shift ;;
    --ours-only) OURS_ONLY=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "loadtest.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$N" in ''|*[!0-9]*) echo "loadtest.sh: -n takes a number" >&2; exit 2 ;; esac
[ "$N" -ge 1 ] && [ "$N" -le 20000 ] || { echo "loadtest.sh: -n between 1 and 20000" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "loadtest.sh: needs root (network namespaces, addresses, TUN)" >&2; exit 1; }

log() { printf '[loadtest %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
# The load-tester build (cached)
# ---------------------------------------------------------------------------------------------------------------
PATCH="$ROOT/scripts/loadtest/load-tester-initiator-tsi-base.patch"
PATCH_REV=vr1   # bump when the patch or the configure line changes: a new cache entry is built
CACHE="${VPNROUTER_LOADTESTER_CACHE:-/var/cache/vpnrouter-loadtester}"
CONFIGURE_FLAGS=(
  --disable-defaults --enable-charon --enable-ikev1 --enable-ikev2 --enable-load-tester
  --enable-openssl --enable-random --enable-nonce --enable-kernel-netlink --enable-socket-default
)
BUILD_DEPS=(build-essential dpkg-dev libgmp-dev libssl-dev pkg-config patch)

install_build_deps() {
  local missing=() p
  for p in "${BUILD_DEPS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing build dependencies: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq \
      || die "apt-get update failed: cannot install the load-tester's build dependencies (${missing[*]})"
    DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -qq "${missing[@]}" \
      || die "apt-get install ${missing[*]} failed: the load-tester's build dependencies"
  fi
}

# apt with a private state directory and deb-src lines for bookworm: `apt-get source` without touching /etc/apt.
APT_STATE="$CACHE/apt"
apt_private() {   # bounded: 10 min
  timeout 600 apt-get -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$APT_STATE/sources.list.d" \
    -o Dir::State::Lists="$APT_STATE/lists" -o Dir::Cache="$APT_STATE/cache" -o APT::Sandbox::User=root "$@"
}
apt_cache_private() {
  apt-cache -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$APT_STATE/sources.list.d" \
    -o Dir::State::Lists="$APT_STATE/lists" -o Dir::Cache="$APT_STATE/cache" "$@"
}

build_loadtester() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock -w 1800 9 || die "another build holds $CACHE/.lock for 30 min"
  # A finished build for any version is reused; the marker file is written last.
  local done_dir="" d
  for d in "$CACHE"/strongswan-*-"$PATCH_REV"; do
    [ -f "$d/.complete" ] && done_dir="$d"
  done
  if [ -n "$done_dir" ]; then
    LT_PREFIX="$done_dir"
  else
    install_build_deps
    mkdir -p "$APT_STATE/sources.list.d" "$APT_STATE/lists/partial" "$APT_STATE/cache/archives/partial"
    cat >"$APT_STATE/sources.list.d/bookworm-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    log "fetching the deb-src index of bookworm (private apt state in $APT_STATE)"
    apt_private update -qq --error-on=any \
      || die "apt-get update of bookworm's deb-src index from deb.debian.org failed (network? the lines above)"
    local src="$CACHE/src" version got="" versions
    rm -rf "$src"; mkdir -p "$src"
    versions="$(apt_cache_private showsrc strongswan | sed -n 's/^Version: //p' | sort -Vr)"
    [ -n "$versions" ] || die "bookworm's deb-src index names no strongswan source package"
    # Newest first; a version the mirror no longer serves (e.g. a security upload) falls back to the next.
    for version in $versions; do
      log "apt-get source strongswan=$version"
      if (cd "$src" && apt_private source -qq "strongswan=$version" >"$src/fetch.log" 2>&1); then
        got="$version"; break
      fi
      find "$src" -mindepth 1 -maxdepth 1 ! -name fetch.log -exec rm -rf {} +
    done
    [ -n "$got" ] || { tail -5 "$src/fetch.log" >&2 2>/dev/null || true
      die "no strongswan source package ($(echo $versions)) could be fetched from deb.debian.org (lines above)"; }
    local tree
    tree="$(ls -d "$src"/strongswan-*/ | head -1)"
    [ -n "$tree" ] || die "apt-get source strongswan=$got unpacked no source tree in $src"
    (cd "$tree" && patch -p1 --forward <"$PATCH" >/dev/null) || die "the load-tester patch does not apply to $got"
    LT_PREFIX="$CACHE/strongswan-$got-$PATCH_REV"
    rm -rf "$LT_PREFIX"
    log "building strongSwan $got with the load-tester into $LT_PREFIX (make -j$(nproc): 8-14 min on 2 cores)"
    local step
    for step in configure make install; do
      case "$step" in
        configure) (cd "$tree" && timeout 900 ./configure -q --prefix="$LT_PREFIX" --sysconfdir="$LT_PREFIX/etc" \
                      --with-piddir="$LT_PREFIX/run" "${CONFIGURE_FLAGS[@]}") >"$src/$step.log" 2>&1 ;;
        make) (cd "$tree" && timeout 3600 make -j"$(nproc)") >"$src/$step.log" 2>&1 ;;
        install) (cd "$tree" && timeout 600 make install) >"$src/$step.log" 2>&1 ;;
      esac || { tail -20 "$src/$step.log" >&2; rm -rf "$LT_PREFIX"
                die "building strongSwan $got failed at $step (the last lines above; whole log $src/$step.log)"; }
    done
    mkdir -p "$LT_PREFIX/run"
    echo "$got $PATCH_REV ${CONFIGURE_FLAGS[*]}" >"$LT_PREFIX/.complete"
    rm -rf "$src"
  fi
  flock -u 9
  LT_CHARON="$LT_PREFIX/libexec/ipsec/charon"
  [ -x "$LT_CHARON" ] || die "no charon in $LT_PREFIX"
  mkdir -p "$ROOT/target"
  ln -sfn "$LT_PREFIX" "$ROOT/target/loadtester"
  log "load-tester: $LT_CHARON ($(cut -d' ' -f1 "$LT_PREFIX/.complete"))"
}

build_loadtester
if [ "$BUILD_ONLY" = 1 ]; then
  echo "$LT_CHARON"
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------------
# The runs
# ---------------------------------------------------------------------------------------------------------------
for p in ip nsenter flock timeout; do command -v "$p" >/dev/null || die "$p is not installed"; done
DEB_CHARON=/usr/lib/ipsec/charon
[ -x "$DEB_CHARON" ] && command -v swanctl >/dev/null \
  || die "Debian's strongSwan is missing: apt-get install strongswan-charon strongswan-swanctl libcharon-extra-plugins"

HUB_OUT=192.0.2.1        # the hub's outside address (TEST-NET-1), on the veth to the load namespace
LOAD_OUT=192.0.2.2       # the load namespace's own address on that veth (the hub's default gateway)
HUB_IN=203.0.113.1       # the hub's inside network (TEST-NET-3): what every initiator's Quick Mode asks for
SOURCES=198.18.0.0/16    # RFC 2544 benchmarking block: the initiators' source addresses, one each
NETS_BASE=198.19.0.1/32  # the initiators' own networks (IDci), one /32 each from 198.19.0.1
PSK=cisco123
INITIATORS=4             # load-tester threads, N / INITIATORS tunnels each (fewer threads when N is not a multiple)
INIT_LIMIT="${LOADTEST_INIT_LIMIT:-400}"   # at most this many IKE_SAs negotiating at once on the load side
WORK="$ROOT/target/loadtest"
mkdir -p "$WORK"
RUN_ID="ldt-$$"
NS_HUB="$RUN_ID-hub"
NS_LOAD="$RUN_ID-load"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  # Hubs send a Delete per SA on SIGTERM: up to 15 s before they are killed.
  local waited=0
  for pid in "${PIDS[@]:-}"; do
    while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 150 ]; do sleep 0.1; waited=$(( waited + 1 )); done
  done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  done
  PIDS=()
  local ns
  for ns in "$NS_LOAD" "$NS_HUB"; do
    if ip netns list | grep -qw "^$ns"; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Namespaces left by an earlier run whose script is gone.
for ns in $(ip netns list | awk '{print $1}' | grep '^ldt-[0-9]*-' || true); do
  owner="${ns#ldt-}"; owner="${owner%%-*}"
  if ! kill -0 "$owner" 2>/dev/null; then
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  fi
done

make_namespaces() {
  cleanup
  ip netns add "$NS_HUB"
  ip netns add "$NS_LOAD"
  local ns
  for ns in "$NS_HUB" "$NS_LOAD"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null || true
  done
  ip -n "$NS_HUB" link add out0 type veth peer name lt0 netns "$NS_LOAD"
  ip -n "$NS_HUB" addr add "$HUB_OUT/24" dev out0
  ip -n "$NS_LOAD" addr add "$LOAD_OUT/24" dev lt0
  ip -n "$NS_HUB" link set out0 up
  ip -n "$NS_LOAD" link set lt0 up
  ip -n "$NS_HUB" route add default via "$LOAD_OUT"
  # The seed's inside interface (FastEthernet0/1): strongSwan routes the tunnels from its address.
  ip -n "$NS_HUB" link add in0 type dummy 2>/dev/null \
    || ip -n "$NS_HUB" link add in0 type veth peer name in0-peer
  ip -n "$NS_HUB" addr add "$HUB_IN/24" dev in0
  ip -n "$NS_HUB" link set in0 up
  ip netns exec "$NS_HUB" sysctl -qw net.ipv4.ip_forward=1
}

# The seed hub.cfg, renumbered to the namespaces' addresses; nothing else changes.
write_hub_cfg() {
  sed -e "s/10\.48\.67\.181 255\.255\.255\.224/$HUB_OUT 255.255.255.0/" \
      -e "s/10\.1\.1\.1 255\.255\.254\.0/$HUB_IN 255.255.255.0/" \
      -e "s/10\.5\.5\.1 10\.5\.5\.254/198.51.100.1 198.51.100.254/" \
      -e "s/ip route 0\.0\.0\.0 0\.0\.0\.0 10\.48\.66\.181/ip route 0.0.0.0 0.0.0.0 $LOAD_OUT/" \
      "$ROOT/examples/seed/hub.cfg" >"$1"
  grep -q "ip address $HUB_OUT 255.255.255.0" "$1" || die "renumbering examples/seed/hub.cfg failed"
}

# strongSwan's charon as the hub: an IKEv1 responder equivalent to the seed (wildcard PSK, 3des-sha1-modp1024,
# ESP 3des-sha1 without PFS, any peer address, its own network behind it). No XFRM here, so ESP in userspace
# (kernel-libipsec), which speaks only ESP in UDP: encap = yes, as the interop tests do.
write_swan_hub() {
  local dir="$1"
  mkdir -p "$dir/run" "$dir/swanctl/conf.d"
  for sub in x509 x509ca private rsa ecdsa pkcs8 pkcs12; do mkdir -p "$dir/swanctl/$sub"; done
  cat >"$dir/strongswan.conf" <<EOF
charon {
  load = random nonce openssl pem pkcs1 kernel-libipsec kernel-netlink socket-default vici
  # tuned as for any hub with thousands of peers (strongSwan's defaults are one IKE_SA hash bucket)
  ikesa_table_size = 4096
  ikesa_table_segments = 16
  threads = 16
  filelog {
    hub { path = $dir/charon.log
      time_format = %H:%M:%S
      time_add_ms = yes
      flush_line = yes
      default = ${LOADTEST_SWAN_LOG:-0}
      ike = ${LOADTEST_SWAN_LOG:-0} }
  }
  syslog { daemon { default = -1 } }
}
swanctl { load = pem pkcs1 openssl random }
EOF
  cat >"$dir/swanctl/swanctl.conf" <<EOF
connections {
  hub {
    version = 1
    local_addrs = $HUB_OUT
    proposals = 3des-sha1-modp1024
    encap = yes
    local { auth = psk
            id = $HUB_OUT }
    remote { auth = psk }
    children {
      lan {
        local_ts = $HUB_IN/24
        remote_ts = 198.19.0.0/16
        esp_proposals = 3des-sha1
      }
    }
  }
}
secrets {
  ike-wildcard { secret = $PSK }
}
EOF
}

# strongswan.conf of the load-tester charon (runs in the load namespace with its own run/ bind-mounted).
write_loadtester_conf() {
  local dir="$1" n="$2" ike_rekey="$3" dpd_delay="${4:-0}" iterations=$(( $2 / INITIATORS ))
  mkdir -p "$dir/run"
  cat >"$dir/strongswan.conf" <<EOF
charon {
  # load-tester first: its fake kernel-ipsec must register before kernel-netlink's (the first one wins)
  load = load-tester random nonce openssl kernel-netlink socket-default
  threads = 32
  ikesa_table_size = 4096
  ikesa_table_segments = 16
  # the initiators' retransmission schedule: 4, 7.2, 13, 23.3, 42 s (strongSwan's default)
  retransmit_tries = 5
  plugins {
    load-tester {
      enable = yes
      version = 1
      initiators = $INITIATORS
      iterations = $iterations
      delay = 1
      init_limit = $INIT_LIMIT
      responder = $HUB_OUT
      proposal = 3des-sha1-modp1024
      esp = 3des-sha1
      initiator_auth = psk
      responder_auth = psk
      preshared_key = $PSK
      # IKEv1 sends the source address as the ID when ours is %any: the seed's L2L profile
      # (match identity address 0.0.0.0) takes the spokes, no Xauth. Printf-escaped: '%%any' is '%any'.
      initiator_id = %%any
      responder_id = %%any
      initiator_tsi_base = $NETS_BASE
      initiator_tsr = $HUB_IN/24
      ike_rekey = $ike_rekey
      child_rekey = 1800
      dpd_delay = $dpd_delay
      dpd_timeout = 300
      fake_kernel = yes
      addrs { lt0 = $SOURCES }
      addrs_prefix = 32
      addrs_keep = yes
    }
  }
  filelog {
    load { path = $dir/charon.log
      time_format = %H:%M:%S
      time_add_ms = yes
      flush_line = yes
      default = 0
      ike = 1
      cfg = 0 }
  }
  syslog { daemon { default = -1 } }
}
EOF
}

# Our hub's Prometheus metrics (bash's /dev/tcp inside the hub namespace: no curl needed), bounded to 10 s.
metrics() {
  timeout 10 ip netns exec "$NS_HUB" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9477 && printf "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3 && cat <&3' 2>/dev/null || true
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sys_ticks() { awk '{print $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU ticks of the process's threads whose name matches an awk regex (e.g. the JIT's "C[12] CompilerThre").
thread_ticks() {
  local pid="$1" re="$2" t sum=0 comm
  for t in /proc/"$pid"/task/*; do
    comm="$(cat "$t/comm" 2>/dev/null || true)"
    if awk -v c="$comm" -v re="$re" 'BEGIN {exit !(c ~ re)}'; then
      sum=$(( sum + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0) ))
    fi
  done
  echo "$sum"
}
udp_drops() { ip netns exec "$1" awk '/^Udp:/ {if (h) {print $6 + $7} else h = 1}' /proc/net/snmp 2>/dev/null || echo "?"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
HZ="$(getconf CLK_TCK)"
ms_of() { # HH:MM:SS.mmm -> ms of the day
  awk -F'[:.]' '{print (($1 * 60 + $2) * 60 + $3) * 1000 + $4}' <<<"$1"
}

# Starts a charon (the given binary) in a namespace with DIR/run over its pid directory; prints its pid.
start_charon() {
  local ns="$1" dir="$2" binary="$3" piddir="$4"
  mkdir -p "$dir/run"
  STRONGSWAN_CONF="$dir/strongswan.conf" ip netns exec "$ns" sh -c \
    "mount --bind '$dir/run' '$piddir' && exec '$binary'" >"$dir/charon.stdout" 2>&1 &
  echo $!
}

# Waits for the load-tester's log to show N CHILD_SAs, at most SETUP_TIMEOUT s; sets ESTABLISHED, T_FIRST, T_LAST.
await_children() {
  local log="$1" n="$2" hubpid="$3" deadline=$(( SECONDS + SETUP_TIMEOUT ))
  ESTABLISHED=0
  while [ "$SECONDS" -lt "$deadline" ]; do
    ESTABLISHED="$(grep -c 'CHILD_SA load-test{[0-9]*} established' "$log" 2>/dev/null || true)"
    [ "${ESTABLISHED:-0}" -ge "$n" ] && break
    kill -0 "$hubpid" 2>/dev/null || { log "the hub exited"; break; }
    sleep 0.5
  done
  T_FIRST="$( (grep -m1 'initiating Main Mode' "$log" || true) | awk '{print $1}')"
  T_LAST="$( (grep 'CHILD_SA load-test{[0-9]*} established' "$log" || true) | sed -n "${n}p" | awk '{print $1}')"
  [ -n "$T_LAST" ] || T_LAST="$( (grep 'CHILD_SA load-test{[0-9]*} established' "$log" || true) | tail -1 | awk '{print $1}')"
}

# One load against one hub. Sets R_* for the report.
#   run_load LABEL HUBKIND(ours|swan) N IKE_REKEY HOLD_SECONDS
run_load() {
  local label="$1" kind="$2" n="$3" ike_rekey="$4" hold="$5"
  local dir="$WORK/$label"
  rm -rf "$dir"; mkdir -p "$dir"
  make_namespaces
  local hubpid
  if [ "$kind" = ours ]; then
    write_hub_cfg "$dir/hub.cfg"
    ip netns exec "$NS_HUB" "$ROOT/vpnrouter" run --config "$dir/hub.cfg" --interface FastEthernet0/0=out0 \
      --metrics-port 9477 --control-socket "$dir/console.sock" >"$dir/hub.out" 2>&1 &
    hubpid=$!
    PIDS+=("$hubpid")
    local deadline=$(( SECONDS + 60 ))
    until grep -q "listening for IKE on" "$dir/hub.out"; do
      kill -0 "$hubpid" 2>/dev/null || die "our hub exited: $(tail -5 "$dir/hub.out")"
      [ "$SECONDS" -lt "$deadline" ] || die "our hub did not start within 60 s: $(tail -5 "$dir/hub.out")"
      sleep 0.2
    done
  else
    write_swan_hub "$dir"
    hubpid="$(start_charon "$NS_HUB" "$dir" "$DEB_CHARON" /run)"
    PIDS+=("$hubpid")
    local deadline=$(( SECONDS + 30 ))
    until [ -S "$dir/run/charon.vici" ]; do
      kill -0 "$hubpid" 2>/dev/null || die "strongSwan's hub exited: $(tail -5 "$dir/charon.stdout")"
      [ "$SECONDS" -lt "$deadline" ] || die "strongSwan's hub did not start within 30 s"
      sleep 0.2
    done
    swan_hub() { timeout 60 nsenter -t "$hubpid" -m -n env STRONGSWAN_CONF="$dir/strongswan.conf" swanctl "$@"; }
    swan_hub --load-all --file "$dir/swanctl/swanctl.conf" >"$dir/swanctl-load.out" 2>&1 || die "swanctl --load-all: $(cat "$dir/swanctl-load.out")"
  fi
  [ "$(ls /proc/"$hubpid"/task | wc -l)" -gt 0 ] || die "no hub process"
  local hub_cpu0 lt_cpu0 ltpid jit0 gc0
  hub_cpu0="$(cpu_ticks "$hubpid")"
  local sys0; sys0="$(sys_ticks "$hubpid")"
  jit0="$(thread_ticks "$hubpid" '^C[12] Compiler')"
  gc0="$(thread_ticks "$hubpid" '^G1 |^GC ')"
  write_loadtester_conf "$dir/load" "$n" "$ike_rekey"
  ltpid="$(start_charon "$NS_LOAD" "$dir/load" "$LT_CHARON" "$LT_PREFIX/run")"
  PIDS+=("$ltpid")
  lt_cpu0=0
  if [ "$PROFILE" = 1 ] && [ "$label" = vpnrouter ]; then
    "$JDK/bin/jcmd" "$hubpid" JFR.start name=loadtest settings=profile filename="$dir/hub.jfr" >/dev/null 2>&1 \
      || log "JFR.start failed"
  fi
  log "$label: $n initiators against $kind hub (pid $hubpid), load-tester pid $ltpid"
  await_children "$dir/load/charon.log" "$n" "$hubpid"
  local hub_cpu1 lt_cpu1 jit1 gc1
  hub_cpu1="$(cpu_ticks "$hubpid")"
  local sys1; sys1="$(sys_ticks "$hubpid")"
  R_SYS="$(awk -v t="$(( sys1 - sys0 ))" -v hz="$HZ" 'BEGIN {printf "%.2f", t / hz}')"
  jit1="$(thread_ticks "$hubpid" '^C[12] Compiler')"
  gc1="$(thread_ticks "$hubpid" '^G1 |^GC ')"
  R_UDP_DROPS="$(udp_drops "$NS_HUB")"
  if [ "$kind" = ours ]; then
    R_JITGC="$(awk -v j="$(( jit1 - jit0 ))" -v g="$(( gc1 - gc0 ))" -v hz="$HZ" 'BEGIN {printf "JIT %.2f s, GC %.2f s, ", j / hz, g / hz}')"
  else
    R_JITGC=""
  fi
  R_JITGC="${R_JITGC}kernel (sys) $R_SYS s"
  lt_cpu1="$(cpu_ticks "$ltpid")"
  R_RSS="$(rss_kb "$hubpid")"
  if [ "$PROFILE" = 1 ] && [ "$label" = vpnrouter ]; then
    "$JDK/bin/jcmd" "$hubpid" JFR.stop name=loadtest >/dev/null 2>&1 || log "JFR.stop failed"
    [ -f "$dir/hub.jfr" ] && "$JDK/bin/jfr" print --events jdk.ExecutionSample "$dir/hub.jfr" \
      | grep -A1 'stackTrace = \[' | grep -v 'stackTrace = \[' | grep -v '^--' | sed 's/line:.*//' \
      | sort | uniq -c | sort -rn | head -40 >"$dir/hub-top-frames.txt" || true
    # Inclusive: in how many samples each method is on the stack at all (the subsystems' share).
    [ -f "$dir/hub.jfr" ] && "$JDK/bin/jfr" print --events jdk.ExecutionSample "$dir/hub.jfr" | awk '
      /stackTrace = \[/ {in_st = 1; delete seen; samples++; next}
      in_st && /^[[:space:]]*\]/ {in_st = 0; next}
      in_st {f = $1; sub(/\(.*/, "", f); if (!(f in seen)) {seen[f] = 1; count[f]++}}
      END {for (f in count) printf "%6d %5.1f%% %s\n", count[f], 100 * count[f] / samples, f; printf "%6d samples\n", samples}' \
      | sort -rn | head -80 >"$dir/hub-inclusive.txt" || true
  fi
  R_EST="$ESTABLISHED"
  R_RETRANS="$(grep -c 'retransmit [0-9]* of request' "$dir/load/charon.log" || true)"
  R_DELETES="$(grep -c 'received DELETE' "$dir/load/charon.log" || true)"
  if [ -n "$T_FIRST" ] && [ -n "$T_LAST" ]; then
    local ms=$(( $(ms_of "$T_LAST") - $(ms_of "$T_FIRST") ))
    [ "$ms" -gt 0 ] || ms=1
    R_SECONDS="$(awk -v ms="$ms" 'BEGIN {printf "%.2f", ms / 1000}')"
    R_RATE="$(awk -v n="$R_EST" -v ms="$ms" 'BEGIN {printf "%.0f", n * 1000 / ms}')"
  else
    R_SECONDS="-"; R_RATE=0
  fi
  local wall_ticks=$(( hub_cpu1 - hub_cpu0 ))
  R_HUB_CPU="$(awk -v t="$wall_ticks" -v hz="$HZ" 'BEGIN {printf "%.2f", t / hz}')"
  R_LT_CPU="$(awk -v t="$(( lt_cpu1 - lt_cpu0 ))" -v hz="$HZ" 'BEGIN {printf "%.2f", t / hz}')"
  R_HUB_CORE="$(awk -v c="$R_HUB_CPU" -v s="$R_SECONDS" 'BEGIN {if (s + 0 > 0) printf "%.0f %%", 100 * c / s; else print "-"}')"
  # The hub's own count.
  if [ "$kind" = ours ]; then
    R_HUB_SAS="$(metrics | awk '/^vpnrouter_ike_sas_up / {i=$2} /^vpnrouter_ipsec_sas_up / {c=$2} END {printf "%d ISAKMP / %d IPsec", i, c}')"
  else
    R_HUB_SAS="$(swan_hub --list-sas 2>/dev/null | awk '/ESTABLISHED/ {i++} /INSTALLED/ {c++} END {printf "%d IKE / %d CHILD", i, c}')"
  fi
  local hub_children="${R_HUB_SAS##*/ }"; hub_children="${hub_children%% *}"
  R_HUB_OK=0; [ "${hub_children:-0}" -ge "$n" ] && [ "$R_DELETES" = 0 ] && R_HUB_OK=1
  log "$label: $R_DELETES Deletes received by the initiators; hub UDP receive errors $R_UDP_DROPS; of the hub's CPU: $R_JITGC"
  log "$label: $R_EST/$n CHILD_SAs in $R_SECONDS s ($R_RATE/s), hub CPU $R_HUB_CPU s ($R_HUB_CORE of a core), RSS $(( R_RSS / 1024 )) MB, hub holds $R_HUB_SAS, $R_RETRANS retransmits by the initiators"
  R_HELD="-"
  if [ "$hold" -gt 0 ] && [ "$R_EST" -ge "$n" ]; then
    log "$label: holding $hold s"
    sleep "$hold"
    local held deletes
    held="$(metrics | awk '/^vpnrouter_ike_sas_up / {i=$2} /^vpnrouter_ipsec_sas_up / {c=$2} END {printf "%d %d", i, c}')"
    deletes="$(grep -c 'received DELETE' "$dir/load/charon.log" || true)"
    R_HELD="${held% *} ISAKMP / ${held#* } IPsec after ${hold} s, $deletes Deletes received"
    log "$label: $R_HELD"
    if [ "${held% *}" -lt "$n" ] || [ "${held#* }" -lt "$n" ] || [ "$deletes" -gt 0 ]; then
      R_HELD_OK=0
    else
      R_HELD_OK=1
    fi
  fi
  cleanup
}

# Used heap after a full GC (jcmd GC.run), in KiB.
heap_used_kb() {
  "$JDK/bin/jcmd" "$1" GC.run >/dev/null 2>&1 || { echo 0; return; }
  "$JDK/bin/jcmd" "$1" GC.heap_info 2>/dev/null \
    | awk '/heap/ {for (i = 1; i < NF; i++) if ($i == "used") {v = $(i + 1); sub(/K.*/, "", v); print v; exit}}'
}

# DPD on the wire from a capture on the hub's link: every Informational from an initiator (exchange type 5) that
# the hub answers with an Informational on the same cookies is an R-U-THERE and its ACK (the seed hub has `no
# keepalive`: it sends no R-U-THERE of its own, and it answers no Delete). Prints "answered p50 p99 max
# unanswered" (ms) for requests sent in [FROM, TO) (epoch seconds).
dpd_answer_times() {
  local pcap="$1" from="$2" to="$3"
  tshark -r "$pcap" -Y 'isakmp.exchangetype == 5' -T fields -e frame.time_epoch -e ip.src -e isakmp.ispi \
      -e isakmp.rspi 2>/dev/null \
    | awk -v hub="$HUB_OUT" -v from="$from" -v to="$to" '
        $2 != hub && $1 >= from && $1 < to { k = $3 ":" $4; if (!(k in asked)) asked[k] = $1; next }
        $2 == hub { k = $3 ":" $4; if (k in asked) {printf "%.3f\n", 1000 * ($1 - asked[k]); delete asked[k]} }
        END { for (k in asked) n++; printf "unanswered %d\n", n }' >"$pcap.dpd"
  local unanswered; unanswered="$(awk '/^unanswered/ {print $2}' "$pcap.dpd")"
  { grep -v '^unanswered' "$pcap.dpd" || true; } | sort -n | awk -v u="$unanswered" '
    {v[NR] = $1}
    END {if (NR == 0) {printf "0 - - - %d\n", u; exit}
         printf "%d %.1f %.1f %.1f %d\n", NR, v[int((NR - 1) * 0.5) + 1], v[int((NR - 1) * 0.99) + 1], v[NR], u}'
}

# 10,000 tunnels held on our hub (--scale): RSS and heap per tunnel, time to establish them all, and DPD answer
# times on the wire while the load-tester's initiators reauthenticate (a new Main Mode each, ike_rekey after
# their own set-up, so the rekey wave follows the set-up wave at its rate) and send R-U-THERE every dpd_delay s.
#   Heap: used after a full GC; RSS: VmRSS. Each at three points: the hub idle before the load, with N/5 tunnels
#   up, with N up. Per tunnel: (at N - idle) / N, and the slope from N/5 to N (what each further tunnel costs once
#   the JVM has compiled and sized itself).
run_scale() {
  local n="$1" ike_rekey="${LOADTEST_SCALE_IKE_REKEY:-3600}" dpd="${LOADTEST_SCALE_DPD:-30}"
  local wave_max="${LOADTEST_SCALE_WAVE_SECONDS:-300}"
  local dir="$WORK/scale"
  rm -rf "$dir"; mkdir -p "$dir"
  make_namespaces
  write_hub_cfg "$dir/hub.cfg"
  ip netns exec "$NS_HUB" "$ROOT/vpnrouter" run --config "$dir/hub.cfg" --interface FastEthernet0/0=out0 \
    --metrics-port 9477 --control-socket "$dir/console.sock" >"$dir/hub.out" 2>&1 &
  local hubpid=$!
  PIDS+=("$hubpid")
  local deadline=$(( SECONDS + 60 ))
  until grep -q "listening for IKE on" "$dir/hub.out"; do
    kill -0 "$hubpid" 2>/dev/null || die "our hub exited: $(tail -5 "$dir/hub.out")"
    [ "$SECONDS" -lt "$deadline" ] || die "our hub did not start within 60 s: $(tail -5 "$dir/hub.out")"
    sleep 0.2
  done
  sleep 2
  local heap0 rss0 heap1 rss1 heap2 rss2 rss2_before_gc n1=$(( n / 5 ))
  heap0="$(heap_used_kb "$hubpid")"; rss0="$(rss_kb "$hubpid")"
  log "scale: hub idle: heap $heap0 KiB after GC, RSS $rss0 KiB"
  ip netns exec "$NS_HUB" dumpcap -q -i out0 -s 128 -f 'udp port 500 or udp port 4500' -w "$dir/ike.pcapng" \
    >"$dir/dumpcap.out" 2>&1 &
  local cappid=$!
  PIDS+=("$cappid")
  sleep 1
  kill -0 "$cappid" 2>/dev/null || die "dumpcap did not start: $(cat "$dir/dumpcap.out")"
  write_loadtester_conf "$dir/load" "$n" "$ike_rekey" "$dpd"
  local cpu0; cpu0="$(cpu_ticks "$hubpid")"
  local t_start; t_start="$(date +%s.%N)"
  local ltpid; ltpid="$(start_charon "$NS_LOAD" "$dir/load" "$LT_CHARON" "$LT_PREFIX/run")"
  PIDS+=("$ltpid")
  log "scale: $n initiators (ike_rekey $ike_rekey s, dpd_delay $dpd s) against our hub (pid $hubpid)"
  await_children "$dir/load/charon.log" "$n1" "$hubpid"
  heap1="$(heap_used_kb "$hubpid")"; rss1="$(rss_kb "$hubpid")"
  log "scale: $ESTABLISHED up: heap $heap1 KiB after GC, RSS $rss1 KiB"
  local up1="$ESTABLISHED"
  await_children "$dir/load/charon.log" "$n" "$hubpid"
  local t_all; t_all="$(date +%s.%N)"
  local cpu1; cpu1="$(cpu_ticks "$hubpid")"
  [ "$ESTABLISHED" -ge "$n" ] || die "only $ESTABLISHED of $n CHILD_SAs came up within $SETUP_TIMEOUT s"
  local setup_ms=$(( $(ms_of "$T_LAST") - $(ms_of "$T_FIRST") ))
  local hub_sas; hub_sas="$(metrics | awk '/^vpnrouter_ike_sas_up / {i=$2} /^vpnrouter_ipsec_sas_up / {c=$2} END {printf "%d ISAKMP / %d IPsec", i, c}')"
  rss2_before_gc="$(rss_kb "$hubpid")"
  heap2="$(heap_used_kb "$hubpid")"; rss2="$(rss_kb "$hubpid")"
  log "scale: all $n up in $(( setup_ms / 1000 )).$(( setup_ms % 1000 / 100 )) s, hub holds $hub_sas; heap $heap2 KiB after GC, RSS $rss2_before_gc KiB (after GC $rss2)"
  # The rekey wave: every initiator's ISAKMP SA reauthenticates ike_rekey s after its set-up. With an ike_rekey
  # longer than the wave's bound there is none: the tunnels are held 60 s (DPD keeps going).
  local wave_deadline=$(( SECONDS + (ike_rekey < wave_max ? wave_max : 60) )) reauths=0
  while [ "$SECONDS" -lt "$wave_deadline" ]; do
    [ "$ike_rekey" -lt "$wave_max" ] || { sleep 1; continue; }
    reauths=$(( $(grep -c 'IKE_SA load-test\[[0-9]*\] established' "$dir/load/charon.log" || true) - n ))
    [ "$reauths" -ge "$n" ] && break
    kill -0 "$hubpid" 2>/dev/null || die "our hub exited during the rekey wave"
    sleep 1
  done
  local t_wave; t_wave="$(date +%s.%N)"
  local cpu2; cpu2="$(cpu_ticks "$hubpid")"
  local held; held="$(metrics | awk '/^vpnrouter_ike_sas_up / {i=$2} /^vpnrouter_ipsec_sas_up / {c=$2} END {printf "%d ISAKMP / %d IPsec", i, c}')"
  local rss3; rss3="$(rss_kb "$hubpid")"
  local heap3; heap3="$(heap_used_kb "$hubpid")"
  local lt_children; lt_children="$(grep -c 'CHILD_SA load-test{[0-9]*} established' "$dir/load/charon.log" || true)"
  local deletes; deletes="$(grep -c 'received DELETE' "$dir/load/charon.log" || true)"
  local retrans; retrans="$(grep -c 'retransmit [0-9]* of request' "$dir/load/charon.log" || true)"
  kill -INT "$cappid" 2>/dev/null || true
  local w=0; while kill -0 "$cappid" 2>/dev/null && [ "$w" -lt 50 ]; do sleep 0.1; w=$(( w + 1 )); done
  local dpd_setup dpd_wave
  dpd_setup="$(dpd_answer_times "$dir/ike.pcapng" "$t_start" "$t_all")"
  dpd_wave="$(dpd_answer_times "$dir/ike.pcapng" "$t_all" "$t_wave")"
  local per_heap per_rss slope_heap slope_rss
  per_heap=$(( (heap2 - heap0) * 1024 / n )); per_rss=$(( (rss2_before_gc - rss0) * 1024 / n ))
  slope_heap=$(( (heap2 - heap1) * 1024 / (n - up1) )); slope_rss=$(( (rss2_before_gc - rss1) * 1024 / (n - up1) ))
  local hub_cpu_setup; hub_cpu_setup="$(awk -v t="$(( cpu1 - cpu0 ))" -v hz="$HZ" 'BEGIN {printf "%.1f", t / hz}')"
  local hub_cpu_wave; hub_cpu_wave="$(awk -v t="$(( cpu2 - cpu1 ))" -v hz="$HZ" 'BEGIN {printf "%.1f", t / hz}')"
  {
    echo
    echo "scale: $n tunnels against our hub (load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
    printf '  established: %d/%d CHILD_SAs in %d.%03d s (%s/s), hub CPU %s s; the hub held %s\n' "$ESTABLISHED" "$n" \
      $(( setup_ms / 1000 )) $(( setup_ms % 1000 )) "$(awk -v n="$n" -v ms="$setup_ms" 'BEGIN {printf "%.0f", n * 1000 / ms}')" \
      "$hub_cpu_setup" "$hub_sas"
    printf '  heap after GC: idle %d KiB, %d up %d KiB, %d up %d KiB -> %d B per tunnel (slope %d B)\n' \
      "$heap0" "$up1" "$heap1" "$n" "$heap2" "$per_heap" "$slope_heap"
    printf '  RSS: idle %d KiB, %d up %d KiB, %d up %d KiB (%d after GC) -> %d B per tunnel (slope %d B)\n' \
      "$rss0" "$up1" "$rss1" "$n" "$rss2_before_gc" "$rss2" "$per_rss" "$slope_rss"
    local after="held (no rekey wave: ike_rekey $ike_rekey s)"
    [ "$ike_rekey" -ge "$wave_max" ] || after="rekey wave: $reauths of $n reauthentications"
    printf '  then, %s, %.0f s: hub CPU %s s; the hub held %s, RSS %d KiB, heap %d KiB after GC;\n' \
      "$after" "$(awk -v a="$t_all" -v b="$t_wave" 'BEGIN {print b - a}')" "$hub_cpu_wave" "$held" "$rss3" "$heap3"
    printf '    load-tester: %d CHILD_SAs established in all, %d Deletes received, %d retransmits\n' \
      "$lt_children" "$deletes" "$retrans"
    echo "  DPD R-U-THERE answered on the wire (count p50 p99 max ms, unanswered):"
    echo "    during the set-up wave: $dpd_setup"
    echo "    after it (rekey wave or hold): $dpd_wave"
  } | tee "$dir/report.txt"
  cleanup
  local per_ok=1
  [ "$per_heap" -le 8192 ] || { echo "FAILED: heap per tunnel $per_heap B > 8 KiB"; per_ok=0; }
  [ "$per_rss" -le 16384 ] || { echo "FAILED: RSS growth per tunnel $per_rss B > 16 KiB"; per_ok=0; }
  [ "$per_ok" = 1 ]
}

# ---------------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------------
for INITIATORS in 4 2 1; do [ $(( N % INITIATORS )) -eq 0 ] && break; done
java_version_of() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
JDK=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
  v="$(java_version_of "$candidate")"
  if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then JDK="$candidate"; break; fi
done
[ -n "$JDK" ] || die "needs JDK 25 or newer"
# Build the jar (if stale) and check the renumbered config, outside the namespaces.
write_hub_cfg "$WORK/hub.cfg"
"$ROOT/vpnrouter" check "$WORK/hub.cfg" >"$WORK/check.out" 2>&1 || die "vpnrouter check: $(cat "$WORK/check.out")"

log "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); N=$N, $INITIATORS load-tester threads, init_limit $INIT_LIMIT"
if [ "$SCALE" = 1 ]; then
  run_scale "$N"
  exit $?
fi
declare -A RATE SECS CPU CORE RSS EST HUBSAS RETR LTCPU DELS HUBOK DROPS JITGC
run_case() {
  run_load "$1" "$2" "$3" "$4" "$5"
  RATE[$1]="$R_RATE"; SECS[$1]="$R_SECONDS"; CPU[$1]="$R_HUB_CPU"; CORE[$1]="$R_HUB_CORE"
  RSS[$1]="$(( R_RSS / 1024 )) MB"; EST[$1]="$R_EST/$3"; HUBSAS[$1]="$R_HUB_SAS"; RETR[$1]="$R_RETRANS"
  DELS[$1]="$R_DELETES"; HUBOK[$1]="$R_HUB_OK"; DROPS[$1]="$R_UDP_DROPS"; JITGC[$1]="$R_JITGC"
  LTCPU[$1]="$R_LT_CPU"
}
CASES=()
if [ "$SWAN_ONLY" = 1 ]; then
  run_case strongswan swan "$N" 3600 0; CASES+=(strongswan)
elif [ "$OURS_ONLY" = 1 ]; then
  run_case vpnrouter ours "$N" 3600 0; CASES+=(vpnrouter)
else
  if [ "$ZERO_ONLY" = 0 ]; then
    run_case vpnrouter ours "$N" 3600 0; CASES+=(vpnrouter)
    if [ "$SKIP_SWAN" = 0 ]; then run_case strongswan swan "$N" 3600 0; CASES+=(strongswan); fi
  fi
  run_case vpnrouter-zero ours "$N" 0 "$HOLD_SECONDS"; CASES+=(vpnrouter-zero)
fi

printf '\n%-16s %10s %9s %9s %10s %10s %9s %8s %8s %26s\n' hub "CHILD_SAs" "seconds" "setups/s" "hub CPU s" \
  "of a core" "hub RSS" "retrans." "Deletes" "hub's own count"
for c in "${CASES[@]}"; do
  printf '%-16s %10s %9s %9s %10s %10s %9s %8s %8s %26s\n' "$c" "${EST[$c]}" "${SECS[$c]}" "${RATE[$c]}" "${CPU[$c]}" \
    "${CORE[$c]}" "${RSS[$c]}" "${RETR[$c]}" "${DELS[$c]}" "${HUBSAS[$c]}"
done
for c in "${CASES[@]}"; do
  printf '%-16s load-tester CPU %s s; hub UDP receive errors %s; of the hub CPU: %s\n' "$c" "${LTCPU[$c]}" \
    "${DROPS[$c]}" "${JITGC[$c]}"
done
if [ -n "${RATE[vpnrouter]:-}" ] && [ -n "${RATE[strongswan]:-}" ] && [ "${RATE[strongswan]}" -gt 0 ]; then
  awk -v a="${RATE[vpnrouter]}" -v b="${RATE[strongswan]}" 'BEGIN {printf "vpnrouter / strongSwan setups/s: %.2f (target >= 4)\n", a / b}'
fi
echo "ike_rekey = 0 (Life-Duration 0) on vpnrouter: $R_HELD"
echo "logs: $WORK/<case>/ (hub.out or charon.log, load/charon.log)"
status=0
for c in "${CASES[@]}"; do
  [ "${EST[$c]}" = "$N/$N" ] || { echo "FAILED: $c: the load-tester saw ${EST[$c]} CHILD_SAs up"; status=1; }
  [ "${HUBOK[$c]}" = 1 ] || { echo "FAILED: $c: the hub holds ${HUBSAS[$c]}, ${DELS[$c]} Deletes"; status=1; }
done
[ "$SWAN_ONLY" = 1 ] || [ "$OURS_ONLY" = 1 ] || [ "${R_HELD_OK:-0}" = 1 ] || { echo "FAILED: with ike_rekey = 0 not every SA stayed up on our hub"; status=1; }
exit "$status"
