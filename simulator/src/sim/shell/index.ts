// Registers the shell part of the simulator (commands and cluster plugins).
export {}
