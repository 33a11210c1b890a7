import type { ClusterSpec, Environment, ExecResult, Node, TerminalStream } from '../../seam'

// A Node whose commands answer from a table: for unit tests of checks and the
// runner without a simulator. A rule matches a command by regular expression.

export interface Rule {
  match: RegExp
  result: Partial<ExecResult> | ((cmd: string) => Partial<ExecResult> | Promise<Partial<ExecResult>>)
}

export class FakeNode implements Node {
  readonly log: string[] = []
  constructor(
    readonly name: string,
    readonly role: 'control-plane' | 'worker' = 'control-plane',
    public rules: Rule[] = [],
    public files: Record<string, string> = {},
  ) {}

  async exec(cmd: string): Promise<ExecResult> {
    this.log.push(cmd)
    for (const r of this.rules) {
      if (r.match.test(cmd)) {
        const v = typeof r.result === 'function' ? await r.result(cmd) : r.result
        return { stdout: '', stderr: '', exitCode: 0, ...v }
      }
    }
    return { stdout: '', stderr: `${cmd.split(' ')[0]}: command not found\n`, exitCode: 127 }
  }

  async openTerminal(): Promise<TerminalStream> {
    throw new Error('the fake node has no terminal')
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const t = this.files[path]
    return t === undefined ? undefined : new TextEncoder().encode(t)
  }
}

export class FakeEnv implements Environment {
  readonly id = 'fake-env'
  readonly driver = 'fake'
  settled = 0
  constructor(
    readonly nodes: Node[],
    readonly spec: ClusterSpec = { controlPlanes: 1, kubernetes: '1.34' },
  ) {}
  async settle(ms: number): Promise<void> {
    this.settled += ms
  }
  async dispose(): Promise<void> {}
}
