#!/usr/bin/env bash
# Bootstrap: restore the pinned Cake runner, build the Cake.GoDebug addin when its sources
# changed, then run build/build.cake with every argument passed through. The exit code is Cake's.
# build.ps1 takes the same steps with the same files. Written for bash 3.2 (macOS's) as well: no arrays,
# nothing that set -u rejects there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Logs that are not a terminal (CI, files, pipes) stay plain text; Cake honours NO_COLOR.
if [ ! -t 1 ] && [ -z "${NO_COLOR+x}" ]; then export NO_COLOR=1; fi

addin_dir="$root/artifacts/addin"
stamp="$addin_dir/.built"
# The addin is the Cake aliases (src/Cake.GoDebug) over the engine (src/GoDebug.Tasks); MSBuild tasks are not part of it.
if [ ! -f "$stamp" ] || [ -n "$(find "$root/.config" "$root/src/GoDebug.Tasks" "$root/src/Cake.GoDebug" "$root/Directory.Build.props" "$root/global.json" \
      -newer "$stamp" -type f \( -name '*.cs' -o -name '*.proto' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.json' \) \
      -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
  dotnet tool restore >/dev/null
  dotnet build "$root/src/Cake.GoDebug/Cake.GoDebug.csproj" -c Release -nologo -v quiet -clp:NoSummary -o "$addin_dir"
  touch "$stamp"
fi

# The script cache keys on the script text only; a rebuilt addin must recompile the script. The key is the SHA-256,
# in lowercase hex, of the aliases' assembly followed by the engine's (the script binds to both), in the same file
# as build.ps1's, so the two scripts never undo each other.
if command -v sha256sum >/dev/null 2>&1; then
  sum="$(cat "$addin_dir/Cake.GoDebug.dll" "$addin_dir/GoDebug.Tasks.dll" | sha256sum)"
else
  sum="$(cat "$addin_dir/Cake.GoDebug.dll" "$addin_dir/GoDebug.Tasks.dll" | shasum -a 256)" # macOS has no sha256sum
fi
sum="${sum%% *}"
if [ "$(cat "$addin_dir/.cake-key" 2>/dev/null || true)" != "$sum" ]; then
  # Before the user's arguments, where the flag stood before.
  set -- --invalidate-script-cache ${1+"$@"}
  printf '%s' "$sum" > "$addin_dir/.cake-key"
fi

# Run the runner's own assembly rather than the `dotnet cake` launcher: the launcher does not pass a
# signal sent to it alone (a CI runner's SIGINT/SIGTERM) on to Cake, which would leave dlv running.
cake_version=7.0.0 # as pinned in .config/dotnet-tools.json
cake_dll="${NUGET_PACKAGES:-$HOME/.nuget/packages}/cake.tool/$cake_version/tools/net10.0/any/Cake.dll"
[ -f "$cake_dll" ] || dotnet tool restore >/dev/null
# ${1+"$@"}: with no arguments some old bash versions call a bare "$@" unbound under set -u.
exec dotnet "$cake_dll" "$root/build/build.cake" ${1+"$@"}
