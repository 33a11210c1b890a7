// Turns etcdctl output into a form where two honest runs agree: the real etcd
// and the simulator differ in member/cluster IDs, hashes, timestamps,
// durations, sizes, revisions, raft indexes, temp paths, ports and the etcd
// patch version, and in nothing else. Everything else stays byte for byte.
// Pure: no I/O, no clock.

import type { ScriptVars } from './script'

export interface RawOutput {
  stdout: string
  stderr: string
  exitCode: number
}

/** What one side's run looked like: its variables and the identity of its running member. */
export interface NormalizeContext {
  vars: ScriptVars
  /** Hex (as etcdctl prints it, no zero padding) and decimal forms of the running member's ID. */
  memberId?: { hex: string; dec: string }
  clusterId?: { hex: string; dec: string }
  /** The node address in the member's URLs (127.0.0.2 on the real side). */
  nodeIp?: string
  peerPort?: string
}

/** etcdctl prints IDs as %x (no padding) in text and as uint64 decimals in JSON. */
function idForms(dec: string): { hex: string; dec: string } {
  return { dec, hex: BigInt(dec).toString(16) }
}

function portOf(url: string): string | undefined {
  return /:(\d+)\/?$/.exec(url)?.[1]
}

/**
 * Reads the running member's identity from the `member list -w json` output
 * (JSON.parse would round the uint64 IDs, so this reads the digits).
 */
export function contextFrom(vars: ScriptVars, memberListJson?: string): NormalizeContext {
  const ctx: NormalizeContext = { vars }
  if (!memberListJson) return ctx
  const cluster = /"cluster_id":(\d+)/.exec(memberListJson)?.[1]
  const member = /"member_id":(\d+)/.exec(memberListJson)?.[1]
  const peer = /"peerURLs":\["([^"]+)"/.exec(memberListJson)?.[1]
  if (cluster) ctx.clusterId = idForms(cluster)
  if (member) ctx.memberId = idForms(member)
  if (peer) {
    const m = /^\w+:\/\/\[?([^\]/]+?)\]?:(\d+)$/.exec(peer)
    if (m) {
      ctx.nodeIp = m[1]
      ctx.peerPort = m[2]
    }
  }
  return ctx
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Replaces `literal` where it is not part of a longer number, name or address. */
function replaceToken(text: string, literal: string, by: string): string {
  if (!literal) return text
  return text.replace(new RegExp(`(?<![\\w.-])${escapeRe(literal)}(?![\\w])`, 'g'), by)
}

const GO_DURATION = String.raw`(?:\d+(?:\.\d+)?(?:h|m(?!s)|s|ms|µs|us|ns))+`
const HUMAN_SIZE = String.raw`\d+(?:\.\d+)? (?:B|kB|MB|GB|TB)`

/** Rules that apply to any text once paths, ports and IDs are mapped. */
const TEXT_RULES: Array<[RegExp, string]> = [
  // zap JSON logs: float epoch seconds (clientv3/snapshot) or ISO-8601 (clientv3)
  [/"ts":\d+(?:\.\d+)?(?:e[+-]?\d+)?/g, '"ts":<TS>'],
  [/"ts":"\d{4}-\d\d-\d\dT[^"]*"/g, '"ts":"<TIME>"'],
  // capnslog lines: "2026-11-23 21:42:22.307578 C | pkg/flags: …"
  [/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ (?=[A-Z] \| )/gm, '<TIME> '],
  [/endpoint:\/\/client-[0-9a-f-]{36}\//g, 'endpoint://client-<UUID>/'],
  // etcdutl 3.5's console encoder: "2026-12-03T10:08:39Z<TAB>info<TAB>…"
  [/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z(?=\t)/gm, '<TIME>'],
  // etcd 3.5 refusing a client without a certificate: the client reads the TLS alert in the
  // server preface, or (under load, seen with 3.5.16) its write races the close and fails first
  [
    /last connection error: (?:connection error: desc = \\"error reading server preface: remote error: tls: certificate required\\"|write tcp [\d.:]+->[\d.:]+: write: broken pipe)/g,
    'last connection error: <client certificate refused: certificate required, or broken pipe>',
  ],
  // etcd 3.5's grpc target names the client by its address in memory
  [/etcd-endpoints:\/\/0x[0-9a-f]+\//g, 'etcd-endpoints://<PTR>/'],
  [new RegExp(`took = ${GO_DURATION}`, 'g'), 'took = <DURATION>'],
  [new RegExp(`"took":"${GO_DURATION}"`, 'g'), '"took":"<DURATION>"'],
  [/"took":\d+(?:\.\d+)?(?:e[+-]?\d+)?/g, '"took":<SECONDS>'],
  [new RegExp(`(?<![\\w.])${HUMAN_SIZE}(?![\\w])`, 'g'), '<SIZE>'],
  [/(?<![\w.])3\.([456])\.\d+(?![\w.])/g, '3.$1.X'],
  // Numbers that depend on how much the cluster has done, not on etcdctl.
  [
    /"(revision|raft_term|raftTerm|raftIndex|raftAppliedIndex|dbSize|dbSizeInUse|create_revision|mod_revision|hash|totalKey|totalSize)":\d+/g,
    '"$1":<N>',
  ],
  [/^"(RaftTerm|Revision|RaftIndex|RaftAppliedIndex|DBSize|DBSizeInUse)" : \d+$/gm, '"$1" : <N>'],
  // simple `endpoint status` rows: …, IS LEADER, IS LEARNER, RAFT TERM, RAFT INDEX, RAFT APPLIED INDEX, ERRORS
  [/^(.+, (?:true|false), (?:true|false)), \d+, \d+, \d+, (.*)$/gm, '$1, <TERM>, <INDEX>, <INDEX>, $2'],
  // simple `snapshot status` rows: HASH, REVISION, TOTAL KEYS, TOTAL SIZE
  [/^[0-9a-f]{1,8}, \d+, \d+, <SIZE>$/gm, '<HASH>, <REV>, <KEYS>, <SIZE>'],
]

/** Maps this side's paths, ports, node address and member identity to fixed names. */
function mapLiterals(text: string, ctx: NormalizeContext): string {
  const { vars } = ctx
  let out = text
  const clientPort = portOf(vars.EP)
  const deadPort = portOf(vars.DEAD_EP)
  // Longest first, so /tmp/x/work is not eaten by a shorter /tmp/x.
  const paths: Array<[string, string]> = [
    [vars.WORK, '$WORK'],
    [vars.PKI, '$PKI'],
  ]
  paths.sort((a, b) => b[0].length - a[0].length)
  for (const [p, name] of paths) if (p) out = out.split(p).join(name)
  if (deadPort) out = out.split(`127.0.0.1:${deadPort}`).join('127.0.0.1:<DEAD_PORT>')
  if (ctx.nodeIp) {
    if (clientPort) out = out.split(`${ctx.nodeIp}:${clientPort}`).join('<NODE_IP>:2379')
    if (ctx.peerPort) out = out.split(`${ctx.nodeIp}:${ctx.peerPort}`).join('<NODE_IP>:2380')
    out = replaceToken(out, ctx.nodeIp, '<NODE_IP>')
  }
  if (clientPort) out = out.split(`127.0.0.1:${clientPort}`).join('127.0.0.1:2379')
  for (const [id, name] of [
    [ctx.memberId, '<MEMBER_ID>'],
    [ctx.clusterId, '<CLUSTER_ID>'],
  ] as const) {
    if (!id) continue
    out = replaceToken(out, id.dec, name)
    out = replaceToken(out, id.hex, name)
  }
  return out
}

function applyTextRules(text: string): string {
  let out = text
  for (const [re, by] of TEXT_RULES) out = out.replace(re, by)
  return out
}

// ---- tables (olekukonko/tablewriter as etcdctl 3.4 configures it) ----

type TableLine = { kind: 'border' } | { kind: 'row'; cells: string[] }

function isBorder(line: string): boolean {
  return /^\+(-+\+)+$/.test(line)
}

function isRow(line: string): boolean {
  return /^\|.*\|$/.test(line)
}

function parseTableLines(lines: string[]): TableLine[] {
  return lines.map((line) =>
    isBorder(line)
      ? { kind: 'border' }
      : {
          kind: 'row',
          cells: line
            .slice(1, -1)
            .split('|')
            .map((c) => c.trim()),
        },
  )
}

/**
 * Draws a table the way etcdctl does: a column is as wide as its widest cell
 * plus one space each side; the first row (header) is centred with the odd
 * space on the right; body cells are right-aligned.
 */
export function renderTable(table: TableLine[]): string[] {
  const rows = table.filter((l): l is { kind: 'row'; cells: string[] } => l.kind === 'row')
  const cols = Math.max(0, ...rows.map((r) => r.cells.length))
  const widths = Array.from({ length: cols }, (_, i) =>
    Math.max(0, ...rows.map((r) => [...(r.cells[i] ?? '')].length)),
  )
  const border = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`
  let seenHeader = false
  return table.map((line) => {
    if (line.kind === 'border') return border
    const header = !seenHeader
    seenHeader = true
    const cells = widths.map((w, i) => {
      const cell = line.cells[i] ?? ''
      const pad = w - [...cell].length
      if (header) {
        const left = Math.floor(pad / 2)
        return ` ${' '.repeat(left)}${cell}${' '.repeat(pad - left)} `
      }
      return ` ${' '.repeat(pad)}${cell} `
    })
    return `|${cells.join('|')}|`
  })
}

/** Column names whose values legitimately differ between two clusters. */
const COLUMN_MASKS: Record<string, string> = {
  HASH: '<HASH>',
  REVISION: '<REV>',
  'TOTAL KEYS': '<KEYS>',
  'RAFT TERM': '<TERM>',
  'RAFT INDEX': '<INDEX>',
  'RAFT APPLIED INDEX': '<INDEX>',
  TOOK: '<DURATION>',
}

export const TABLE_LAYOUT_MARK = '[normalize: this table is not laid out like etcdctl draws tables]'

function normalizeTable(lines: string[], ctx: NormalizeContext): string[] {
  const table = parseTableLines(lines)
  const wellDrawn = renderTable(table).join('\n') === lines.join('\n')
  if (!wellDrawn) return [TABLE_LAYOUT_MARK, ...lines.map((l) => applyTextRules(mapLiterals(l, ctx)))]
  const header = table.find((l) => l.kind === 'row')
  const names = header && header.kind === 'row' ? header.cells : []
  let seenHeader = false
  const normalized = table.map((line): TableLine => {
    if (line.kind === 'border') return line
    const isHeader = !seenHeader
    seenHeader = true
    return {
      kind: 'row',
      cells: line.cells.map((cell, i) => {
        const mask = COLUMN_MASKS[names[i] ?? '']
        if (!isHeader && mask && cell !== '') return mask
        return applyTextRules(mapLiterals(cell, ctx))
      }),
    }
  })
  return renderTable(normalized)
}

/** Normalizes one stream: tables are checked and redrawn, other lines go through the text rules. */
export function normalizeText(text: string, ctx: NormalizeContext): string {
  const lines = text.split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!
    if (isBorder(line)) {
      let j = i
      while (j < lines.length && (isBorder(lines[j]!) || isRow(lines[j]!))) j++
      out.push(...normalizeTable(lines.slice(i, j), ctx))
      i = j
      continue
    }
    out.push(applyTextRules(mapLiterals(line, ctx)))
    i++
  }
  return out.join('\n')
}

/**
 * `endpoint health` checks its endpoints concurrently and prints each answer as it arrives, so with
 * several endpoints the real order varies from run to run (seen with 3.5.16): runs of health lines
 * are sorted.
 */
export function sortHealthLines(text: string): string {
  const lines = text.split('\n')
  const isHealth = (l: string) => /^\S+ is (?:un)?healthy: /.test(l)
  for (let i = 0; i < lines.length; ) {
    if (!isHealth(lines[i]!)) {
      i++
      continue
    }
    let j = i
    while (j < lines.length && isHealth(lines[j]!)) j++
    lines.splice(i, j - i, ...lines.slice(i, j).sort())
    i = j
  }
  return lines.join('\n')
}

export function normalizeOutput(raw: RawOutput, ctx: NormalizeContext): RawOutput {
  return {
    exitCode: raw.exitCode,
    stdout: sortHealthLines(normalizeText(raw.stdout, ctx)),
    stderr: sortHealthLines(normalizeText(raw.stderr, ctx)),
  }
}
