#!/usr/bin/env pwsh
# Runs build/build.cake with the Cake runner pinned in .config/dotnet-tools.json, every argument passed through; the
# exit code is Cake's. The Cake.GoDebug addin comes from the NuGet sources this repository's nuget.config names,
# through the script's #addin line. The same steps as build.sh, in the same order.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
# Logs that are not a terminal (CI, files, pipes) stay plain text; Cake honours NO_COLOR.
if ([Console]::IsOutputRedirected -and -not (Test-Path env:NO_COLOR)) { $env:NO_COLOR = '1' }

# PowerShell cannot exec as build.sh does, so Cake runs as a child that must end with us and get our signals:
# a CI runner's SIGTERM (or SIGINT) sent to this process alone would otherwise leave Cake, dlv and the app
# running. SIGINT from the terminal already reached Cake (same foreground process group), so that one is not
# sent twice: Cake takes a second signal as "stop now" and would skip its cleanup. Compiled once per change of
# this text and kept in build/tools (beside Cake's addins), as compiling costs seconds.
$launcherSource = @'
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;

public static class GoDebugTasksBootstrap
{
    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int signal);
    [DllImport("libc")] private static extern int getpgrp();
    [DllImport("libc")] private static extern int tcgetpgrp(int fd);

    public static int Run(string file, string[] arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var gate = new object();
        Process child = null;
        var early = 0;
        var registrations = new List<PosixSignalRegistration>();
        // Registered before Cake starts, so no signal can end this process and leave Cake running.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT, PosixSignal.SIGHUP })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // Stay until Cake has finished its own cleanup; its exit code is ours.
                    context.Cancel = true;
                    lock (gate)
                    {
                        if (child == null) early = Number(context.Signal);
                        else if (!OperatingSystem.IsWindows() && !(context.Signal == PosixSignal.SIGINT && FromTerminal())) kill(child.Id, Number(context.Signal));
                    }
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // Not every signal exists everywhere (Windows); Ctrl+C reaches every console process there anyway.
            }
        }

        try
        {
            lock (gate)
            {
                // Stopped before Cake started: end as a shell does for a signal, without starting it.
                if (early != 0) return 128 + early;
                child = Process.Start(info);
            }

            child.WaitForExit();
            return child.ExitCode;
        }
        finally
        {
            foreach (var registration in registrations) registration.Dispose();
            child?.Dispose();
        }
    }

    /// <summary>Whether this process is the terminal's foreground group, which the terminal's Ctrl+C went to whole.</summary>
    private static bool FromTerminal()
    {
        var group = getpgrp();
        for (var fd = 0; fd <= 2; fd++)
        {
            if (tcgetpgrp(fd) == group) return true;
        }

        return false;
    }

    private static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        _ => 15,
    };
}
'@

# Run a native command from the repository root, as build.sh does after its `cd`, and stop with its exit code
# when it fails (build.sh's `set -e`). The caller's location is left as it was.
function Invoke-Step([string] $command, [string[]] $arguments, [switch] $quiet) {
    Push-Location $root
    try {
        if ($quiet) { & $command @arguments | Out-Null } else { & $command @arguments }
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
    finally {
        Pop-Location
    }
}

# Run the runner's own assembly rather than the `dotnet cake` launcher: the launcher does not pass a signal
# sent to it alone on to Cake.
$cakeVersion = '7.0.0' # as pinned in .config/dotnet-tools.json
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
$cakeDll = Join-Path $packages "cake.tool/$cakeVersion/tools/net10.0/any/Cake.dll"
if (-not (Test-Path $cakeDll)) { Invoke-Step dotnet @('tool', 'restore') -quiet }

$toolsDir = Join-Path $root 'build/tools'
$launcherKey = ([BitConverter]::ToString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($launcherSource))) -replace '-', '').Substring(0, 16).ToLowerInvariant()
$launcher = Join-Path $toolsDir "bootstrap-$launcherKey.dll"
if (-not (Test-Path $launcher)) {
    New-Item -ItemType Directory -Force -Path $toolsDir | Out-Null
    # Written under a temporary name and renamed, so a second build starting now never loads half a file.
    $partial = Join-Path $toolsDir ".bootstrap-$PID.dll"
    Add-Type -TypeDefinition $launcherSource -OutputAssembly $partial -OutputType Library
    Move-Item -Force -LiteralPath $partial -Destination $launcher
}
# The type from this very file: a session that ran an older build.ps1 may hold another type of the same name.
$bootstrap = Add-Type -LiteralPath $launcher -PassThru | Where-Object Name -EQ 'GoDebugTasksBootstrap'

# `pwsh -File build.ps1 --dlv-listen=127.0.0.1:2345` hands the script "--dlv-listen=127.0.0.1" and "2345": pwsh
# reads a dash word with a colon as a parameter name and its value. When pwsh was started with this script, its
# arguments are therefore taken from the process's own command line, as build.sh receives them.
$cakeArgs = $args
$commandLine = [Environment]::GetCommandLineArgs()
for ($i = 1; $i -lt $commandLine.Count; $i++) {
    if ($commandLine[$i] -like '*.ps1' -and [IO.Path]::GetFullPath($commandLine[$i]) -eq $PSCommandPath) {
        $cakeArgs = @($commandLine | Select-Object -Skip ($i + 1))
        break
    }
}

$dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
exit $bootstrap::Run($dotnet, [string[]](@($cakeDll, (Join-Path $root 'build/build.cake')) + $cakeArgs), $root)
