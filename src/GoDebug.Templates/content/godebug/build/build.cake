// This repository's build graph, run through ../build.sh or ../build.ps1 (both written by `dotnet new godebug`).
// The Go targets (Debug, Watch, Profile, Matrix, Doctor, ... see `./build.sh --description`) come from godebug.cake;
// tasks of your own go below, beside them, and may depend on them (.IsDependentOn("Build")).
#addin nuget:?package=Cake.GoDebug&version=GODEBUG_PACKAGE_VERSION&loaddependencies=true
#load "godebug.cake"

// The Go workspace every target uses unless --workspace=PATH names another: the folder of the repository's go.work,
// else of its go.mod files. Return a fixed path instead to skip the search.
string DefaultWorkspace() => GoFindWorkspace(repoRoot);

RunTarget(target);
