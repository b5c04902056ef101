using Cake.Core.Annotations;

// A build.cake with only the #addin line names the settings and result types without a using: Cake adds these
// namespaces to every script that loads the addin.
[assembly: CakeNamespaceImport("GoDebug.Tasks.Building")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Ci")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Debugging")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Diagnostics")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Doctor")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Go")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Profiling")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Toolchain")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Watching")]
[assembly: CakeNamespaceImport("GoDebug.Tasks.Workspace")]
