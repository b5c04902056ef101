global using NUnit.Framework;
global using GoDebug.Tasks.Go;
