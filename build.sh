#!/usr/bin/env bash
# One entry point on a fresh machine: restores the local tools (Cake) and runs build.cake.
#   ./build.sh --target=Test   install deps, build, run all tests; last line "N passed, N failed"
#   ./build.sh --target=Demo   a local call through an embedded server
#   ./build.sh --target=Bench  the benchmarks
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
summary=artifacts/test-results/summary.txt
rm -f "$summary"
dotnet tool restore >/dev/null || exit 1
dotnet tool run dotnet-cake build.cake "$@"
code=$?
# The test count is the last line, so CI can read it.
[[ -f $summary ]] && cat "$summary"
exit $code
