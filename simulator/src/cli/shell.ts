import { SimDriver } from '../drivers/sim'
import type { ProfileId } from '../seam'
import type { SimCluster } from '../sim/cluster'
import { ShellSession } from '../sim/shell/session'

// `ckalab shell`: a simulated node in this terminal, or — with stdin not a
// terminal — a `bash -s`-like runner that reads commands line by line.

export interface ShellArgs {
  kubernetes: ProfileId
  nodes: number
}

export interface ShellIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown }
  stdout: NodeJS.WritableStream & {
    isTTY?: boolean
    columns?: number
    rows?: number
    on?: NodeJS.WritableStream['on']
  }
  stderr: NodeJS.WritableStream
}

async function makeCluster(args: ShellArgs, clock: 'real' | 'virtual'): Promise<SimCluster> {
  const driver = new SimDriver({ clock })
  return driver.create({ controlPlanes: args.nodes, kubernetes: args.kubernetes })
}

/** Interactive: raw mode, real clock, until the shell exits. Resolves with its exit status. */
export async function interactiveShell(args: ShellArgs, io: ShellIo): Promise<number> {
  const cluster = await makeCluster(args, 'real')
  const node = cluster.nodes[0]
  if (!node) throw new Error('the simulated cluster has no nodes')
  const size = () => ({ cols: io.stdout.columns || 80, rows: io.stdout.rows || 24 })
  const stream = await node.openTerminal(size())
  return new Promise<number>((resolve) => {
    const onInput = (chunk: Buffer | string) =>
      stream.write(typeof chunk === 'string' ? chunk : new Uint8Array(chunk))
    const onResize = () => stream.resize(size())
    stream.onData((bytes) => io.stdout.write(bytes))
    io.stdin.setRawMode?.(true)
    io.stdin.on('data', onInput)
    io.stdin.resume?.()
    io.stdout.on?.('resize', onResize)
    stream.onExit(async (code) => {
      io.stdin.off?.('data', onInput)
      io.stdout.off?.('resize', onResize)
      io.stdin.setRawMode?.(false)
      io.stdin.pause?.()
      stream.dispose()
      await cluster.dispose()
      resolve(code)
    })
  })
}

/** Read complete lines from a stream, one at a time, without waiting for the end of input. */
async function* lines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of input) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true })
    let nl = buffer.indexOf('\n')
    while (nl >= 0) {
      yield buffer.slice(0, nl).replace(/\r$/, '')
      buffer = buffer.slice(nl + 1)
      nl = buffer.indexOf('\n')
    }
  }
  buffer += decoder.decode()
  if (buffer) yield buffer
}

/** Non-interactive bash puts the script's line number into its own error messages. */
export function withLineNumber(stderr: string, line: number): string {
  return stderr.replace(/^bash: (?!line \d+:)/gm, `bash: line ${line}: `)
}

/** `bash -s`: no prompt, no echo, stdout and stderr apart, exit with the last status. */
export async function scriptedShell(args: ShellArgs, io: ShellIo): Promise<number> {
  const cluster = await makeCluster(args, 'virtual')
  const node = cluster.nodes[0]
  if (!node) throw new Error('the simulated cluster has no nodes')
  const session = new ShellSession(node, { interactive: false })
  const write = (stream: NodeJS.WritableStream, text: string) =>
    text ? new Promise<void>((resolve) => stream.write(text, () => resolve())) : Promise.resolve()
  try {
    const start = await session.start()
    await write(io.stdout, start.stdout)
    await write(io.stderr, start.stderr)
    let status = 0
    let pending: string[] = []
    let firstLine = 1
    let lineNo = 0
    for await (const line of lines(io.stdin)) {
      lineNo++
      if (pending.length === 0) firstLine = lineNo
      pending.push(line)
      const text = pending.join('\n')
      const verdict = session.judge(text)
      if (verdict.kind === 'incomplete') continue
      pending = []
      const out = await session.run(text)
      await write(io.stdout, out.stdout)
      await write(io.stderr, withLineNumber(out.stderr, firstLine))
      status = out.status
      if (out.exited !== undefined) return out.exited
    }
    if (pending.length) {
      await write(io.stderr, `bash: line ${lineNo + 1}: syntax error: unexpected end of file\n`)
      return 2
    }
    return status
  } finally {
    await cluster.dispose()
  }
}
