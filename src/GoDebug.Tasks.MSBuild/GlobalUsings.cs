// The go command and its version are the engine's shared vocabulary, as inside the engine.
global using GoDebug.Tasks.Go;
