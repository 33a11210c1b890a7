// etcdctl snapshot save (a stream from one member into a file), and the 3.5
// deprecation of its snapshot status and restore.

import { type CommandResult, stderrFirst } from '../commands/types'
import type { Profile } from '../profiles'
import { dial } from './client'
import { type ClientCfg, clientCaller, out, type Run, streamErrorStack, waitTimeout } from './etcdctl-client'
import { EXIT_BAD_ARGS, EXIT_INTERRUPTED } from './etcdctl-flags'
import { goDuration, humanBytes, type JsonValue } from './format'
import { resolvePathFrom } from './snapshot'
import { snapshotBytes } from './storage'

/** etcd 3.5's etcdctl still restores and reads snapshots, but says etcdutl is the tool now. */
export function deprecationBanner(profile: Profile, verb: 'status' | 'restore'): string {
  return profile.etcd.etcdctl.restoreDeprecated
    ? `Deprecated: Use \`etcdutl snapshot ${verb}\` instead.\n\n`
    : ''
}

export async function snapshotSave(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const { profile, log, ctx } = run
  const facts = profile.etcd.etcdctl.snapshotSave
  const storageVersion = profile.etcd.storageVersion
  if (run.positional.length !== 1)
    return out('', `${cfg.prefix}Error: snapshot save expects one argument${facts.argHint}\n`, EXIT_BAD_ARGS)
  if (cfg.endpoints.length !== 1)
    return out(
      '',
      `${cfg.prefix}Error: snapshot must be requested to one selected node, not multiple [${cfg.endpoints.join(' ')}]\n`,
      EXIT_INTERRUPTED,
    )
  const path = run.positional[0] as string
  const part = `${path}.part`
  const abs = resolvePathFrom(ctx.cwd, path)
  const absPart = `${abs}.part`
  const parent = absPart.replace(/\/[^/]*$/, '') || '/'
  const parentOk = await ctx.fs
    .stat(parent)
    .then((st) => st.isDirectory)
    .catch(() => false)
  if (!parentOk)
    return out(
      '',
      `${cfg.prefix}Error: could not open ${part} (open ${part}: no such file or directory)\n`,
      EXIT_INTERRUPTED,
    )
  await ctx.fs.writeFile(absPart, '')
  const snapCaller = (n: number) => `snapshot/v3_snapshot.go:${n}`
  const lines: string[] = []
  const L = (level: string, caller: string, msg: string, f: Record<string, JsonValue> = {}, client = false) =>
    lines.push(
      facts.took === 'seconds'
        ? log.line(level, caller, msg, f, { floatTs: !client })
        : log.line(level, caller, msg, f, client ? { logger: 'client' } : {}),
    )
  const calls = facts.lines
  const maint = facts.maintenance
  L('info', snapCaller(calls[0] as number), 'created temporary db file', { path: part })
  const ep = cfg.endpoints[0] as string
  const r = dial(ctx.node.cluster, ctx.node, ep, cfg.tls)
  if (!r.ok) {
    const cleanup = async () => {
      await ctx.fs.rm(absPart, { force: true }).catch(() => {})
    }
    if (!cfg.commandTimeoutExplicit) {
      // The snapshot stream has no deadline: it waits until interrupted. At a
      // terminal the lines so far are already on the screen while it waits.
      if (ctx.tty) ctx.tty.write(`${cfg.prefix}${lines.join('\n')}\n`.replace(/\n/g, '\r\n'))
      // Ctrl-C kills etcdctl before its deferred cleanup: the .part file stays, as with the real one.
      await new Promise<void>((_, reject) => {
        const abort = () => {
          const e = new Error('interrupted')
          e.name = 'AbortError'
          reject(e)
        }
        if (!ctx.signal) return
        if (ctx.signal.aborted) abort()
        ctx.signal.addEventListener('abort', abort, { once: true })
      })
    }
    await waitTimeout(run, cfg.commandTimeout)
    await cleanup()
    const stacktrace = streamErrorStack(profile)
    if (profile.etcd.etcdctl.client.oldBalancer) {
      const err =
        'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure'
      lines.push(
        log.line('error', clientCaller(profile, 'stream'), 'streamer failed to create ClientStream', {
          error: err,
          ...(stacktrace ? { stacktrace } : {}),
        }),
      )
    } else {
      lines.push(
        log.line(
          'error',
          clientCaller(profile, 'stream'),
          'streamer failed to create ClientStream',
          {
            error: `rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: ${r.error === 'connection closed' ? 'connection closed' : `connection error: desc = "${r.error}"`}`,
            ...(stacktrace ? { stacktrace } : {}),
          },
          // the snapshot manager's own client logs as "client" in etcdctl 3.5.16 (the capture shows it)
          { logger: facts.streamLogger },
        ),
      )
    }
    return out('', `${cfg.prefix}${lines.join('\n')}\nError: context deadline exceeded\n`, EXIT_INTERRUPTED)
  }
  const p = r.proc
  const db = p.dbBytes()
  L('info', maint[0] as string, 'opened snapshot stream; downloading', {}, true)
  L('info', snapCaller(calls[1] as number), 'fetching snapshot', { endpoint: ep })
  L('info', maint[1] as string, 'completed snapshot read; closing', {}, true)
  const took: JsonValue =
    facts.took === 'seconds'
      ? 0.012 + (db.length % 997) / 100000
      : facts.took === 'now'
        ? 'now'
        : goDuration(12 + (db.length % 97) / 10)
  const fetched: Record<string, JsonValue> = { endpoint: ep, size: humanBytes(db.length), took }
  if (storageVersion) fetched['etcd-version'] = storageVersion
  L('info', snapCaller(calls[2] as number), 'fetched snapshot', fetched)
  const targetIsDir = await ctx.fs
    .stat(abs)
    .then((st) => st.isDirectory)
    .catch(() => false)
  if (targetIsDir) {
    await ctx.fs.rm(absPart, { force: true }).catch(() => {})
    return out(
      '',
      `${cfg.prefix}${lines.join('\n')}\nError: could not rename ${part} to ${path} (rename ${part} ${path}: file exists)\n`,
      EXIT_INTERRUPTED,
    )
  }
  try {
    await ctx.fs.writeFile(abs, snapshotBytes(db))
    await ctx.fs.chmod(abs, 0o600).catch(() => {}) // etcdctl creates it with 0600
    await ctx.fs.rm(absPart, { force: true })
  } catch (err) {
    return out('', `${cfg.prefix}${lines.join('\n')}\nError: ${(err as Error).message}\n`, EXIT_INTERRUPTED)
  }
  L('info', snapCaller(calls[3] as number), 'saved', { path })
  const stdout = `Snapshot saved at ${path}\n${storageVersion ? `Server version ${storageVersion}\n` : ''}`
  // the log lines come as the snapshot is taken, the result line at the end
  return stderrFirst(out(stdout, `${cfg.prefix}${lines.join('\n')}\n`))
}
