#!/usr/bin/env bash
# Runs build/build.cake with the Cake runner pinned in .config/dotnet-tools.json, every argument passed through;
# the exit code is Cake's. The Cake.GoDebug addin comes from the NuGet sources this repository's nuget.config names,
# through the script's #addin line. build.ps1 takes the same steps. Written for bash 3.2 (macOS's) as well: no
# arrays, nothing that set -u rejects there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Logs that are not a terminal (CI, files, pipes) stay plain text; Cake honours NO_COLOR.
if [ ! -t 1 ] && [ -z "${NO_COLOR+x}" ]; then export NO_COLOR=1; fi

# Run the runner's own assembly rather than the `dotnet cake` launcher: the launcher does not pass a
# signal sent to it alone (a CI runner's SIGINT/SIGTERM) on to Cake, which would leave dlv running.
cake_version=7.0.0 # as pinned in .config/dotnet-tools.json
cake_dll="${NUGET_PACKAGES:-$HOME/.nuget/packages}/cake.tool/$cake_version/tools/net10.0/any/Cake.dll"
[ -f "$cake_dll" ] || dotnet tool restore >/dev/null
# ${1+"$@"}: with no arguments some old bash versions call a bare "$@" unbound under set -u.
exec dotnet "$cake_dll" "$root/build/build.cake" ${1+"$@"}
