// Cases where the simulator's 1.31 profile still prints something other than
// the real etcd 3.5.16, each with what differs. The suite fails when any other
// case differs, and also when a case listed here agrees again (so the list only
// shrinks). Every entry is a defect of the simulator still to fix, not an
// accepted variant of the real tool. Empty: every case agrees.

export const KNOWN_DIFFERENCES: Record<string, string> = {}
