global using GoDebug.Tasks.Go;
