// Registers the etcd part of the simulator (commands and cluster plugins).
export {}
