#!/usr/bin/env pwsh
# Bootstrap: restore the pinned Cake runner, build the GoDebug.Tasks addin when its sources
# changed, then run build/build.cake with every argument passed through. The exit code is Cake's.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
Set-Location $root
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
# Logs that are not a terminal (CI, files, pipes) stay plain text; Cake honours NO_COLOR.
if ([Console]::IsOutputRedirected -and -not (Test-Path env:NO_COLOR)) { $env:NO_COLOR = '1' }

$addinDir = Join-Path $root 'artifacts/addin'
$addin = Join-Path $addinDir 'GoDebug.Tasks.dll'
$stamp = Join-Path $addinDir '.built'
$inputs = Get-ChildItem -Recurse -File -Path (Join-Path $root '.config'), (Join-Path $root 'src/GoDebug.Tasks'), (Join-Path $root 'Directory.Build.props'), (Join-Path $root 'global.json') |
    Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' -and $_.Extension -in '.cs', '.csproj', '.props', '.targets', '.json' }
$stale = -not (Test-Path $stamp) -or ($inputs | Where-Object { $_.LastWriteTimeUtc -gt (Get-Item $stamp).LastWriteTimeUtc } | Select-Object -First 1)
if ($stale) {
    dotnet tool restore | Out-Null
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    dotnet build (Join-Path $root 'src/GoDebug.Tasks/GoDebug.Tasks.csproj') -c Release -nologo -v quiet -clp:NoSummary -p:GoDebugCakeAddin=true -o $addinDir
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    New-Item -ItemType File -Force -Path $stamp | Out-Null
}

# The script cache keys on the script text only; a rebuilt addin must recompile the script.
$cacheArgs = @()
$key = (Get-FileHash $addin -Algorithm SHA256).Hash
$keyFile = Join-Path $addinDir '.cake-key'
if (-not (Test-Path $keyFile) -or (Get-Content $keyFile -Raw) -ne $key) {
    $cacheArgs = @('--invalidate-script-cache')
    Set-Content -NoNewline -Path $keyFile -Value $key
}

# Run the runner's own assembly rather than the `dotnet cake` launcher, which does not pass a signal
# sent to it alone on to Cake.
$cakeVersion = '7.0.0' # as pinned in .config/dotnet-tools.json
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
$cakeDll = Join-Path $packages "cake.tool/$cakeVersion/tools/net10.0/any/Cake.dll"
if (-not (Test-Path $cakeDll)) { dotnet tool restore | Out-Null }
dotnet $cakeDll (Join-Path $root 'build/build.cake') @cacheArgs @args
exit $LASTEXITCODE
