// etcdctl get, put and del, in every output format.

import type { CommandResult } from '../commands/types'
import { CLIENT_SEND_LIMIT, header, putRequestBytes, serverDelete, serverPut, serverRange } from './client'
import {
  type ClientCfg,
  connectAny,
  failUnary,
  fieldsHdr,
  hdrJson,
  isResult,
  out,
  type Run,
  serverError,
  withLeader,
} from './etcdctl-client'
import { EXIT_BAD_ARGS, EXIT_BAD_FEATURE } from './etcdctl-flags'
import { parseBool } from './flags'
import { base64Of, goJson, type JsonValue } from './format'
import type { KeyValue } from './keyspace'
import type { EtcdProcess } from './server'

export function kvJson(kv: KeyValue): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {
    key: base64Of(kv.key),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
  }
  if (kv.value) o.value = base64Of(kv.value)
  return o
}

function toHex(s: string): string {
  let h = ''
  for (const b of new TextEncoder().encode(s)) h += `\\x${b.toString(16).padStart(2, '0')}`
  return h
}

export async function get(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  const args = run.positional
  const fromKey = parseBool(run.flags.get('from-key'))
  if (args.length === 0 || args.length > 2)
    return out(
      '',
      `${cfg.prefix}Error: get command needs one argument as key and an optional argument as range_end\n`,
      EXIT_BAD_ARGS,
    )
  if (format === 'table')
    return out('', `${cfg.prefix}Error: table not supported as output format\n`, EXIT_BAD_FEATURE)
  const prefix = parseBool(run.flags.get('prefix'))
  if ((prefix || fromKey) && args.length === 2)
    return out(
      '',
      `${cfg.prefix}Error: too many arguments, only accept one argument when \`--prefix\` or \`--from-key\` is set\n`,
      EXIT_BAD_ARGS,
    )
  const serializable = run.flags.get('consistency') === 's'
  const r = await withLeader(run, cfg, (p) => {
    let kvs = serverRange(p, args[0] as string, {
      prefix,
      end: args[1] ?? (fromKey ? '' : undefined),
      serializable,
    })
    const count = kvs.length
    const limit = Number(run.flags.get('limit') ?? 0)
    if (limit > 0) kvs = kvs.slice(0, limit)
    if (run.flags.get('order') === 'DESCEND') kvs = [...kvs].reverse()
    return { kvs, count, h: header(p) }
  })
  if (isResult(r)) return r
  const keysOnly = parseBool(run.flags.get('keys-only'))
  const valueOnly = parseBool(run.flags.get('print-value-only'))
  const hex = parseBool(run.flags.get('hex'))
  if (parseBool(run.flags.get('count-only'))) {
    if (format === 'json') return out(`${goJson({ header: hdrJson(r.h), count: r.count })}\n`, cfg.prefix)
    return out(`${r.count}\n`, cfg.prefix)
  }
  if (format === 'json') {
    const o: Record<string, JsonValue> = { header: hdrJson(r.h) }
    if (r.kvs.length) o.kvs = r.kvs.map((kv) => (keysOnly ? { ...kvJson(kv), value: undefined } : kvJson(kv)))
    if (r.kvs.length < r.count) o.more = true
    if (r.count) o.count = r.count
    return out(`${goJson(o)}\n`, cfg.prefix)
  }
  if (format === 'fields') {
    let s = fieldsHdr(r.h)
    for (const kv of r.kvs) {
      s += `"Key" : ${JSON.stringify(kv.key)}\n"CreateRevision" : ${kv.createRevision}\n"ModRevision" : ${kv.modRevision}\n"Version" : ${kv.version}\n"Value" : ${JSON.stringify(keysOnly ? '' : kv.value)}\n"Lease" : 0\n`
    }
    s += `"More" : ${r.kvs.length < r.count}\n"Count" : ${r.count}\n`
    return out(s, cfg.prefix)
  }
  let s = ''
  for (const kv of r.kvs) {
    const k = hex ? toHex(kv.key) : kv.key
    const v = keysOnly ? '' : hex ? toHex(kv.value) : kv.value
    if (!valueOnly) s += `${k}\n`
    if (!(keysOnly && valueOnly)) s += `${v}\n`
  }
  return out(s, cfg.prefix)
}

export async function put(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  const args = run.positional
  let value = args[1]
  // The value read from stdin keeps its trailing newline, as etcdctl stores it.
  if (args.length === 1 && run.ctx.stdin) value = run.ctx.stdin
  if (args.length === 0 || args.length > 2 || value === undefined)
    return out(
      '',
      `${cfg.prefix}Error: put command needs 1 argument and input from stdin or 2 arguments\n`,
      EXIT_BAD_ARGS,
    )
  if (format === 'table')
    return out('', `${cfg.prefix}Error: table not supported as output format\n`, EXIT_BAD_FEATURE)
  // clientv3 refuses to send a message over its 2 MiB limit before the member sees it
  const bytes = putRequestBytes(args[0] as string, value)
  if (bytes > CLIENT_SEND_LIMIT) {
    const c = connectAny(run, cfg)
    if (!c.ok) return failUnary(run, cfg, c.error)
    return serverError(
      run,
      cfg,
      'ResourceExhausted',
      `trying to send message larger than max (${bytes} vs. ${CLIENT_SEND_LIMIT})`,
      true,
    )
  }
  let leader: EtcdProcess | undefined
  const r = await withLeader(run, cfg, (p) => {
    const res = serverPut(p, args[0] as string, value as string)
    leader = p.group?.leader ?? p
    return { ...res, h: header(p) }
  })
  if (isResult(r)) return r
  // The write is answered once it is on the member's disk: a disk too full for
  // it ends the member (etcd's fatal "failed to commit tx") and the client
  // hears no OK, so nothing is acknowledged that a restart would not find.
  if (leader && !(await leader.flushNow()) && leader.status !== 'running') {
    const c = connectAny(run, cfg)
    if (!c.ok) return failUnary(run, cfg, c.error)
  }
  const prevKv = parseBool(run.flags.get('prev-kv'))
  if (format === 'json') {
    const o: Record<string, JsonValue> = { header: hdrJson(r.h) }
    if (prevKv && r.prev) o.prev_kv = kvJson(r.prev)
    return out(`${goJson(o)}\n`, cfg.prefix)
  }
  if (format === 'fields') return out(fieldsHdr(r.h), cfg.prefix)
  let s = 'OK\n'
  if (prevKv && r.prev) s += `${r.prev.key}\n${r.prev.value}\n`
  return out(s, cfg.prefix)
}

export async function del(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  const args = run.positional
  if (args.length === 0 || args.length > 2)
    return out(
      '',
      `${cfg.prefix}Error: del command needs one argument as key and an optional argument as range_end\n`,
      EXIT_BAD_ARGS,
    )
  if (format === 'table')
    return out('', `${cfg.prefix}Error: table not supported as output format\n`, EXIT_BAD_FEATURE)
  const prefix = parseBool(run.flags.get('prefix'))
  const fromKey = parseBool(run.flags.get('from-key'))
  const r = await withLeader(run, cfg, (p) => {
    const gone = serverDelete(p, args[0] as string, { prefix, end: args[1] ?? (fromKey ? '' : undefined) })
    return { gone, h: header(p) }
  })
  if (isResult(r)) return r
  const prevKv = parseBool(run.flags.get('prev-kv'))
  if (format === 'json') {
    const o: Record<string, JsonValue> = { header: hdrJson(r.h) }
    if (r.gone.length) o.deleted = r.gone.length
    if (prevKv && r.gone.length) o.prev_kvs = r.gone.map(kvJson)
    return out(`${goJson(o)}\n`, cfg.prefix)
  }
  let s = `${r.gone.length}\n`
  if (prevKv) for (const kv of r.gone) s += `${kv.key}\n${kv.value}\n`
  return out(s, cfg.prefix)
}
