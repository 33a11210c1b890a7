// The message protocol between an environment host (which owns one simulated
// environment, inside a worker) and its proxy (which implements the seam's
// Environment / Node / TerminalStream for the server or a page). Plain
// structured-clone data only, so any transport carries it: worker_threads
// today, a browser Web Worker or a MessageChannel tomorrow.

import type { ClusterSpec, ExecOptions, ProfileId, TerminalSize } from '../seam'

/** Requests get exactly one `reply` with the same `id`. */
export type HostRequest =
  | { type: 'create'; id: number; spec: ClusterSpec }
  | { type: 'restore'; id: number; bytes: Uint8Array }
  | { type: 'exec'; id: number; node: string; cmd: string; opts?: ExecOptions }
  | { type: 'readFile'; id: number; node: string; path: string }
  | { type: 'settle'; id: number; ms: number }
  | { type: 'serialize'; id: number }
  | { type: 'open'; id: number; term: number; node: string; size: TerminalSize }
  | { type: 'dispose'; id: number }
  /** Answers at once: the host's event loop is turning (the proxy's liveness check). */
  | { type: 'ping'; id: number }
  /** After a Ctrl-C: answers `true` once no command runs in `term`, `false` if one still does after `waitMs`. */
  | { type: 'settled'; id: number; term: number; waitMs: number }

/** One-way messages to a terminal the host opened. */
export type HostCommand =
  | { type: 'input'; term: number; data: Uint8Array }
  | { type: 'resize'; term: number; size: TerminalSize }
  | { type: 'pause'; term: number }
  | { type: 'resume'; term: number }
  | { type: 'close'; term: number }

export type ToHost = HostRequest | HostCommand

export interface EnvInfo {
  id: string
  driver: string
  spec: ClusterSpec
  nodes: { name: string; role: 'control-plane' | 'worker' }[]
  persistent: boolean
}

export interface WireError {
  message: string
  /** Set when a node is gone (the seam's NodeGoneError). */
  nodeGone?: string
}

export type FromHost =
  /** Sent once when the host has loaded and can take requests. */
  | { type: 'hello'; profiles?: ProfileId[] }
  | { type: 'reply'; id: number; ok: true; value?: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'data'; term: number; data: Uint8Array }
  | { type: 'exit'; term: number; code: number }
  /** A command that Ctrl-C must be able to end started (true) or ended (false). */
  | { type: 'busy'; term: number; busy: boolean }
  /**
   * An `input` of `bytes` reached the terminal; `backlog` is what its program
   * has not taken yet (the proxy's count of queued input).
   */
  | { type: 'taken'; term: number; bytes: number; backlog: number }
  /** The program took queued input since the last report. */
  | { type: 'backlog'; term: number; backlog: number }
  /** The environment's persistence capability fired. */
  | { type: 'changed' }
  | { type: 'file'; node: string; path: string }

/** What a host or a proxy needs from the channel between them. */
export interface Port {
  post(message: ToHost | FromHost, transfer?: ArrayBuffer[]): void
  onMessage(listener: (message: unknown) => void): void
}
