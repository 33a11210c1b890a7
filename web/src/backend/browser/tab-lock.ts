// One tab of a browser runs ckalab's labs at a time: two tabs restoring and
// saving the same attempts would overwrite each other's work. The first tab
// holds a Web Lock; a second one is told so, and can ask the first to hand
// over (it saves, stops its labs and says where they went).

const LOCK = 'ckalab-static-labs'
const CHANNEL = 'ckalab-static'

export interface TabLock {
  /** True when this tab runs the labs. */
  held: boolean
  /** Resolves once this tab holds the lock (after a hand-over, or when the other tab closes). */
  acquired: Promise<void>
  /** Asks the tab that holds the lock to let go. */
  askHandOver(): void
  /** Called in the holding tab when another tab asks for the labs; release when saved. */
  onHandOverRequest(listener: () => Promise<void>): void
}

export function acquireTabLock(): TabLock {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(CHANNEL)
  let release: () => void = () => {}
  let listener: (() => Promise<void>) | undefined
  const state: TabLock = {
    held: false,
    acquired: Promise.resolve(),
    askHandOver: () => channel?.postMessage({ type: 'hand-over' }),
    onHandOverRequest: (l) => {
      listener = l
    },
  }
  if (!locks) {
    // No Web Locks (an old browser): run, as a lone tab would.
    state.held = true
    return state
  }
  let resolveAcquired: () => void = () => {}
  state.acquired = new Promise<void>((r) => {
    resolveAcquired = r
  })
  const hold = () =>
    new Promise<void>((r) => {
      release = r
      state.held = true
      resolveAcquired()
    })
  void locks.request(LOCK, { ifAvailable: true }, (lock) => {
    if (lock) return hold()
    // Someone else has it: queue for it, so this tab takes over once it is free.
    void locks.request(LOCK, () => hold())
    return undefined
  })
  channel?.addEventListener('message', (ev: MessageEvent) => {
    if ((ev.data as { type?: string })?.type !== 'hand-over' || !state.held) return
    void (listener?.() ?? Promise.resolve()).finally(() => {
      state.held = false
      release()
    })
  })
  return state
}
