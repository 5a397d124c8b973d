#!/usr/bin/env bash
# The throughput benchmark of issue 5 (docs/benchmarks.md): one iperf3 TCP stream, LAN host to LAN host, through
# our hub and spoke (raw ESP and ESP in UDP) and through a strongSwan pair, in network namespaces. Root,
# strongSwan (charon, swanctl, kernel-libipsec), iperf3, dnsmasq and udhcpc required (.ci/run installs them).
#   scripts/throughput.sh [SECONDS] [SUITE...]        suites: gcm128 aes128-sha1 3des-sha1 (default all)
# Java options through BENCH_OPTS, e.g. BENCH_OPTS='-Dbench.modes=udp -Dvpnrouter.tun.offloads=false'.
set -euo pipefail
cd "$(dirname "$0")/.."
java_version_of() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
jdk=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
  v="$(java_version_of "$candidate")"
  if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then jdk="$candidate"; break; fi
done
[ -n "$jdk" ] || { echo "throughput.sh: needs JDK 25 or newer" >&2; exit 1; }
./mvnw -B -ntp -q test-compile
./mvnw -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
# shellcheck disable=SC2086
exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_OPTS:-} \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.vpnrouter.interop.ThroughputBenchmark "${1:-10}" "${@:2}"
