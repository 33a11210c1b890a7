// The one seam between ckalab's drivers and everything above them (labs,
// checks, server, web). Code above this file speaks only these types, so one
// lab and one grader run unchanged on the simulator and on real kind nodes.

/** Kubernetes version profiles ckalab knows how to build. */
export type ProfileId = '1.20' | '1.31' | '1.34'

export interface ClusterSpec {
  /** 1 or 3 control-plane nodes with stacked etcd. */
  controlPlanes: number
  workers?: number
  kubernetes: ProfileId
  /** Optional name hint used for node names (kind: `<name>-control-plane`). */
  name?: string
  /**
   * How long before the lab opens the cluster was created, in minutes (the
   * simulator backdates object ages, container and file times and the
   * journal; a kind cluster is as old as it is). Default: three days.
   */
  ageMinutes?: number
}

export interface Progress {
  /** 0..1 of the whole creation. */
  fraction: number
  /** One short line a person can read, e.g. "Starting control-plane". */
  step: string
}

export interface ExecResult {
  stdout: string
  stderr: string
  exitCode: number
  /** True when the command was stopped because it ran past its time budget. */
  timedOut?: boolean
}

export interface ExecOptions {
  timeoutMs?: number
  stdin?: string
  /** Extra environment for this command only. */
  env?: Record<string, string>
  cwd?: string
}

export interface TerminalSize {
  cols: number
  rows: number
}

/**
 * An interactive terminal: bytes in (what the keyboard sends), ANSI bytes out.
 * Every listener registration returns a disposer, and `dispose()` frees it all.
 */
export interface TerminalStream {
  write(data: Uint8Array | string): void
  onData(listener: (data: Uint8Array) => void): () => void
  onExit(listener: (code: number) => void): () => void
  resize(size: TerminalSize): void
  /** Stop emitting output (flow control); buffered output is kept. */
  pause?(): void
  resume?(): void
  /**
   * Optional capability: bytes written and not yet taken by the program
   * behind the terminal (type-ahead, a paste the shell has not reached). The
   * server refuses input beyond a cap instead of queueing without bound.
   */
  inputBacklog?(): number
  dispose(): void
}

export interface Node {
  /** e.g. `controlplane`, `lab-control-plane2`. */
  readonly name: string
  readonly role: 'control-plane' | 'worker'
  /** Non-interactive, for setup and checks. */
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>
  /** Interactive, for people. */
  openTerminal(size: TerminalSize): Promise<TerminalStream>
  readFile(path: string): Promise<Uint8Array | undefined>
  /**
   * Optional capability: calls `listener` with the path of every file that
   * changes on this node (what the learner did), so the server saves soon.
   */
  onFileChange?(listener: (path: string) => void): () => void
}

/**
 * Optional capability of an environment whose whole state fits in bytes (the
 * simulator): the server saves it and a restarted server brings it back
 * through `Driver.restore`.
 */
export interface EnvironmentPersistence {
  serialize(): Promise<Uint8Array>
  /** Something worth saving changed (a file, etcd data, a kubelet action). */
  onChange(listener: () => void): () => void
}

/**
 * A node no longer exists or runs (a kind container killed or removed): the
 * attempt on it cannot go on. Drivers throw this (or a subclass) from any
 * Node method; callers test with `instanceof` (or `isNodeGone`).
 */
export class NodeGoneError extends Error {
  constructor(
    readonly node: string,
    message: string,
  ) {
    super(message)
    this.name = 'NodeGoneError'
  }
}

export function isNodeGone(err: unknown): err is NodeGoneError {
  return err instanceof NodeGoneError
}

export interface Environment {
  readonly id: string
  readonly driver: string
  readonly spec: ClusterSpec
  readonly nodes: Node[]
  /**
   * Lets simulated time pass (replays fast-forward; real drivers wait for real).
   * Labs call this instead of sleeping so they run at full speed on the simulator.
   */
  settle(ms: number): Promise<void>
  dispose(): Promise<void>
  /** Present when the environment can be saved and restored (see `Driver.restore`). */
  readonly persistence?: EnvironmentPersistence
}

export interface ProbeResult {
  ok: boolean
  /** Why the driver cannot be used here, and what to do about it. */
  reason?: string
}

export interface Driver {
  readonly name: string
  probe(): Promise<ProbeResult>
  create(spec: ClusterSpec, onProgress?: (p: Progress) => void, signal?: AbortSignal): Promise<Environment>
  /** Re-attach to an environment after a server restart. */
  adopt?(id: string): Promise<Environment | undefined>
  /** Brings back an environment from `persistence.serialize()` bytes (drivers whose environments persist). */
  restore?(bytes: Uint8Array): Promise<Environment>
  /**
   * Removes, now and then every `intervalMs`, environments this driver made
   * that no live attempt owns (`liveIds`), e.g. clusters left by a server that
   * died. Returns a stopper. Drivers whose environments die with the process
   * have nothing to reap and leave it out.
   */
  startReaper?(
    liveIds: () => Iterable<string>,
    intervalMs?: number,
    onError?: (e: unknown) => void,
  ): () => void
  /** Releases what the driver keeps for the whole process (e.g. warm clusters); attempts' environments stay. */
  close?(): Promise<void>
}
