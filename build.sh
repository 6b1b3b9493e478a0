#!/usr/bin/env bash
# One entry point on a fresh machine: restores the local tools (Cake) and runs build.cake.
#   ./build.sh                 install deps, build, run all tests, print "N passed, N failed"
#   ./build.sh --target=Bench  run the benchmarks
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
exec dotnet tool run dotnet-cake build.cake "$@"
