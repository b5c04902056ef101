// The go command and its version are the vocabulary of every capability folder, below all of them.
global using GoDebug.Tasks.Go;
