#r "../artifacts/addin/GoDebug.Tasks.dll"

var target = Argument("target", "Default");

Task("Default").Does(() => Information("GoDebug.Tasks addin loaded"));

RunTarget(target);
