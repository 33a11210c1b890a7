// etcdctl snapshot save (a stream from one member into a file), and the 3.5
// deprecation of its snapshot status and restore.

import { type CommandResult, stderrFirst } from '../commands/types'
import type { Profile } from '../profiles'
import { dial } from './client'
import {
  type ClientCfg,
  clientCaller,
  out,
  type Run,
  SNAPSHOT_STREAM_STACK_35,
  waitTimeout,
} from './etcdctl-client'
import { EXIT_BAD_ARGS, EXIT_INTERRUPTED } from './etcdctl-flags'
import { goDuration, humanBytes, type JsonValue } from './format'
import { resolvePathFrom } from './snapshot'
import { snapshotBytes } from './storage'

/** etcd 3.5's etcdctl still restores and reads snapshots, but says etcdutl is the tool now. */
export function deprecationBanner(profile: Profile, verb: 'status' | 'restore'): string {
  return profile.etcdMinor === '3.5' ? `Deprecated: Use \`etcdutl snapshot ${verb}\` instead.\n\n` : ''
}

export async function snapshotSave(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const { profile, log, ctx } = run
  const minor = profile.etcdMinor
  if (run.positional.length !== 1)
    return out(
      '',
      `${cfg.prefix}Error: snapshot save expects one argument${minor === '3.6' ? ' <filename>' : ''}\n`,
      EXIT_BAD_ARGS,
    )
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
  const c34 = minor === '3.4'
  const snapCaller = (n: number) => `snapshot/v3_snapshot.go:${n}`
  const lines: string[] = []
  const L = (level: string, caller: string, msg: string, f: Record<string, JsonValue> = {}, client = false) =>
    lines.push(
      c34
        ? log.line(level, caller, msg, f, { floatTs: !client })
        : log.line(level, caller, msg, f, client ? { logger: 'client' } : {}),
    )
  const calls = c34 ? [119, 127, 142, 152] : minor === '3.5' ? [65, 73, 88, 97] : [83, 96, 111, 121]
  const maint = c34
    ? ['clientv3/maintenance.go:200', 'clientv3/maintenance.go:208']
    : minor === '3.5'
      ? ['v3/maintenance.go:212', 'v3/maintenance.go:220']
      : ['v3/maintenance.go:236', 'v3/maintenance.go:302']
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
    const err =
      'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure'
    if (c34) {
      lines.push(
        log.line('error', 'clientv3/retry_interceptor.go:129', 'streamer failed to create ClientStream', {
          error: err,
          stacktrace: STACK_34,
        }),
      )
    } else {
      lines.push(
        log.line(
          'error',
          clientCaller(profile, 'retry_interceptor.go', 130, 130),
          'streamer failed to create ClientStream',
          {
            error: `rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: ${r.error === 'connection closed' ? 'connection closed' : `connection error: desc = "${r.error}"`}`,
            ...(minor === '3.5' ? { stacktrace: SNAPSHOT_STREAM_STACK_35 } : {}),
          },
          // the snapshot manager's own client logs as "client" in etcdctl 3.5.16 (the capture shows it)
          { logger: profile.etcdMinor === '3.5' ? 'client' : 'etcd-client' },
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
  const took: JsonValue = c34
    ? 0.012 + (db.length % 997) / 100000
    : minor === '3.5'
      ? 'now'
      : goDuration(12 + (db.length % 97) / 10)
  const fetched: Record<string, JsonValue> = { endpoint: ep, size: humanBytes(db.length), took }
  if (minor === '3.6') fetched['etcd-version'] = '3.6.0'
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
  const stdout = `Snapshot saved at ${path}\n${minor === '3.6' ? 'Server version 3.6.0\n' : ''}`
  // the log lines come as the snapshot is taken, the result line at the end
  return stderrFirst(out(stdout, `${cfg.prefix}${lines.join('\n')}\n`))
}

const STACK_34 =
  'go.etcd.io/etcd/clientv3.(*Client).streamClientInterceptor.func1\n\tgo.etcd.io/etcd/clientv3/retry_interceptor.go:129\ngoogle.golang.org/grpc.(*ClientConn).NewStream\n\tgoogle.golang.org/grpc/stream.go:148\ngoogle.golang.org/grpc.NewClientStream\n\tgoogle.golang.org/grpc/stream.go:155\ngo.etcd.io/etcd/etcdserver/etcdserverpb.(*maintenanceClient).Snapshot\n\tgo.etcd.io/etcd/etcdserver/etcdserverpb/rpc.pb.go:4296\ngo.etcd.io/etcd/clientv3.(*retryMaintenanceClient).Snapshot\n\tgo.etcd.io/etcd/clientv3/retry.go:214\ngo.etcd.io/etcd/clientv3.(*maintenance).Snapshot\n\tgo.etcd.io/etcd/clientv3/maintenance.go:195\ngo.etcd.io/etcd/clientv3/snapshot.(*v3Manager).Save\n\tgo.etcd.io/etcd/clientv3/snapshot/v3_snapshot.go:123\ngo.etcd.io/etcd/etcdctl/ctlv3/command.snapshotSaveCommandFunc\n\tgo.etcd.io/etcd/etcdctl/ctlv3/command/snapshot_command.go:113\ngithub.com/spf13/cobra.(*Command).execute\n\tgithub.com/spf13/cobra/command.go:920\ngithub.com/spf13/cobra.(*Command).ExecuteC\n\tgithub.com/spf13/cobra/command.go:1044\ngithub.com/spf13/cobra.(*Command).Execute\n\tgithub.com/spf13/cobra/command.go:968\ngo.etcd.io/etcd/etcdctl/ctlv3.Start\n\tgo.etcd.io/etcd/etcdctl/ctlv3/ctl_nocov.go:26\nmain.main\n\tgo.etcd.io/etcd/etcdctl/main.go:35\nruntime.main\n\truntime/proc.go:250'
