// Differences between the simulator's 1.20 profile and a real 1.20 node that
// are known and not fixed yet, by step id (compare/script.ts), with what differs.
export const KNOWN_DIFFERENCES: Record<string, string> = {
  'pods-after-restore':
    'after the hostPath edit the real kubelet 1.20.2 lists the new etcd mirror pod as `0/1 Pending` for minutes while etcd serves; the simulator shows `1/1 Running`',
}
