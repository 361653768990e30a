#!/usr/bin/env bash
# One command for the whole benchmark: builds Release, installs the Node side, runs every contender
# (interleaved, repeated), stops everything and prints the tables. Options: bench/run.sh --help
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk not found: installing Debian's wrk" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
for tool in dotnet node npm python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is required" >&2; exit 1; }
done

case " $* " in
    *" --help "*|*" -h "*) exec python3 "$here/bench.py" --help ;;
esac

echo "building Release (Primary builds Worker too)" >&2
dotnet build "$repo/Primary/ClusterTemplate.Primary.csproj" -c Release -m:1 -nologo -v:q -clp:ErrorsOnly

# --quick runs no Native AOT contender unless --only names one: then it skips the publish (a minute or more).
quick=false only="" previous=""
for arg in "$@"; do
    case "$arg" in
        --quick) quick=true ;;
        --only=*) only="${arg#--only=}" ;;
    esac
    [ "$previous" = "--only" ] && only="$arg"
    previous="$arg"
done

# The Native AOT contenders (single-aot, reuseport-aot) run this; without a clang they are reported not available.
if $quick && [[ "$only" != *aot* ]]; then
    echo "quick run without a Native AOT contender: not publishing the AOT worker" >&2
elif command -v clang >/dev/null 2>&1 || command -v clang-14 >/dev/null 2>&1; then
    echo "publishing the Native AOT worker into Worker/bin/Release/aot" >&2
    dotnet publish "$repo/Worker/ClusterTemplate.Worker.csproj" -c Release -p:WorkerAot=true -o "$repo/Worker/bin/Release/aot" \
        -nologo -v:q -clp:ErrorsOnly
else
    echo "clang not found: the Native AOT contenders will be reported not available (apt-get install clang)" >&2
fi

if [ ! -x "$here/node/node_modules/.bin/pm2" ] || [ "$here/node/package-lock.json" -nt "$here/node/node_modules/.package-lock.json" ]; then
    echo "installing the Node side (npm ci)" >&2
    (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error)
fi

# python3 stops every process it started on exit, error, Ctrl+C and SIGTERM.
exec python3 "$here/bench.py" "$@"
