// Registers the k8s part of the simulator (commands and cluster plugins).
export {}
