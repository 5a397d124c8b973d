#!/usr/bin/env bash
# One bounded Jazzer campaign on one @FuzzTest, with coverage guidance (see docs/robustness.md).
#   scripts/fuzz.sh 'dev.vpnrouter.ike.wire.IsakmpDecoderFuzzTest#decode' RUNS SECONDS
# Prints libFuzzer's final stats (executions, exec/s, peak RSS). New corpus entries land in .cifuzz-corpus/;
# a crash lands as a file in the test's Inputs resource directory, where it stays as a regression input.
set -euo pipefail
target=${1:?test class#method}
runs=${2:-10000000}
seconds=${3:-1800}
cd "$(dirname "$0")/.."
export JAZZER_FUZZ=1
exec ./mvnw -B -ntp -o -Pfuzz test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.instrumentation_includes='dev.vpnrouter.**' -Djazzer.custom_hook_includes='dev.vpnrouter.**' \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-runs="$runs" \
  -Djazzer.internal.arg.2=-max_total_time="$seconds" -Djazzer.internal.arg.3=-print_final_stats=1 \
  -Djazzer.internal.arg.4=-rss_limit_mb=2048 -Djazzer.internal.arg.5=-timeout=10 \
  -Dsurefire.extra="-Xmx1g" -DredirectTestOutputToFile=false
