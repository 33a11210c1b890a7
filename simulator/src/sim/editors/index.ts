// Registers the editors part of the simulator (commands and cluster plugins).
export {}
