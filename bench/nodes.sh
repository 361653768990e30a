#!/usr/bin/env bash
# Several nodes behind HAProxy: 3 network namespaces, one primary with 2 workers in each, HAProxy with /readyz
# health checks in front, keep-alive and fresh-connection load; node replacement, kill -9 of a node, node reloads.
# Needs root. Options: bench/nodes.sh --help
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian's ${missing[*]}" >&2
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in dotnet python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is required" >&2; exit 1; }
done

case " $* " in
    *" --from-json "*) PYTHONPATH="$here" exec python3 -m harness.nodes "$@" ;;
    *" --help "*|*" -h "*) PYTHONPATH="$here" exec python3 -m harness.nodes --help ;;
esac

echo "building Release (Primary builds Worker too)" >&2
dotnet build "$repo/Primary/ClusterTemplate.Primary.csproj" -c Release -m:1 -nologo -v:q -clp:ErrorsOnly

# python3 removes every namespace, veth and process it made on exit, error, Ctrl+C and SIGTERM; the processes it
# started also die with it if it is killed (PR_SET_PDEATHSIG).
PYTHONPATH="$here" exec python3 -m harness.nodes "$@"
