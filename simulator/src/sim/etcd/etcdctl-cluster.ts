// etcdctl's commands about the cluster and its members: member list/add/
// remove/promote, endpoint status/health, alarm list/disarm, defrag and
// compaction.

import type { CommandResult } from '../commands/types'
import type { EtcdctlFacts } from '../profiles'
import { createRng, seedFrom } from '../random'
import { dial, header, membersOf, NoLeaderError } from './client'
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
  waitTimeout,
  warnLine,
  withLeader,
} from './etcdctl-client'
import { EXIT_BAD_ARGS, EXIT_ERROR } from './etcdctl-flags'
import { parseBool } from './flags'
import { goDuration, goJson, humanBytes, type JsonValue, renderTable } from './format'
import { hexId } from './ids'
import { type EtcdProcess, etcdRuntime, joinedMemberId } from './server'

function facts(run: Run): EtcdctlFacts {
  return run.profile.etcd.etcdctl
}

export async function memberList(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  const c = connectAny(run, cfg)
  if (!c.ok) return failUnary(run, cfg, c.error)
  const p = c.proc
  // MemberList is linearizable from 3.5 on: without a leader it times out.
  if (facts(run).memberListLinearizable && run.flags.get('consistency') !== 's' && !p.group?.leader) {
    await waitTimeout(run, cfg.commandTimeout)
    return out('', `${cfg.prefix}Error: context deadline exceeded\n`, EXIT_ERROR)
  }
  const members = membersOf(p)
  const h = header(p, false)
  const hex = parseBool(run.flags.get('hex'))
  const rows = members.map((m) => [
    m.id,
    m.name ? 'started' : 'unstarted',
    m.name,
    m.peerURLs.join(','),
    m.clientURLs.join(','),
    String(!!m.isLearner),
  ])
  let stdout: string
  if (format === 'json') {
    const idv = (id: string): JsonValue => (hex && facts(run).hexMemberIds ? id : BigInt(`0x${id}`))
    stdout = `${goJson({
      header: { ...hdrJson(h), cluster_id: idv(hexId(h.cluster_id)), member_id: idv(hexId(h.member_id)) },
      members: members.map((m) => {
        const o: Record<string, JsonValue> = { ID: idv(m.id) }
        if (m.name) o.name = m.name
        o.peerURLs = m.peerURLs
        // etcdctl 3.5's hand-written --hex printer spells the key clientURLS (printer_json.go
        // at v3.5.16, seen in its output); 3.6 fixed it
        if (m.clientURLs.length) o[hex ? facts(run).hexClientUrlsKey : 'clientURLs'] = m.clientURLs
        if (m.isLearner) o.isLearner = true
        return o
      }),
    })}\n`
  } else if (format === 'table') {
    stdout = renderTable(['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'], rows)
  } else if (format === 'fields') {
    stdout = fieldsHdr(h)
    for (const m of members) {
      stdout += `"ID" : ${BigInt(`0x${m.id}`)}\n"Name" : "${m.name}"\n`
      for (const u of m.peerURLs) stdout += `"PeerURL" : "${u}"\n`
      for (const u of m.clientURLs) stdout += `"ClientURL" : "${u}"\n`
      stdout += `"IsLearner" : ${!!m.isLearner}\n\n`
    }
  } else {
    stdout = rows.map((r) => `${r.join(', ')}\n`).join('')
  }
  return out(stdout, cfg.prefix)
}

/** --cluster: the client URLs of every member, from the member list. */
export async function clusterEndpoints(run: Run, cfg: ClientCfg): Promise<string[] | CommandResult> {
  const c = connectAny(run, cfg)
  if (!c.ok) {
    await waitTimeout(run, cfg.commandTimeout)
    return out(
      '',
      `${cfg.prefix}${warnLine(run, cfg, c.error)}\nError: failed to fetch endpoints from etcd cluster member list: context deadline exceeded\n`,
      EXIT_ERROR,
    )
  }
  const eps: string[] = []
  for (const m of membersOf(c.proc)) for (const u of m.clientURLs) if (!eps.includes(u)) eps.push(u)
  return eps
}

interface StatusRow {
  ep: string
  p: EtcdProcess
}

export async function endpointStatus(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  let eps = cfg.endpoints
  if (parseBool(run.flags.get('cluster'))) {
    const r = await clusterEndpoints(run, cfg)
    if (!Array.isArray(r)) return r
    eps = r
  }
  let stderr = cfg.prefix
  const ok: StatusRow[] = []
  for (const ep of eps) {
    const r = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (r.ok) {
      ok.push({ ep, p: r.proc })
      continue
    }
    await waitTimeout(run, cfg.commandTimeout)
    // 3.4 dials each endpoint on its own (passthrough target), 3.6 makes a client per endpoint;
    // 3.5 asks each through the one client, whose grpc target names the first --endpoints entry
    // (ep_command.go at v3.5.16 and v3.6.4)
    const client = facts(run).statusClient
    const logCfg = client === 'own' ? { ...cfg, endpoints: [ep] } : cfg
    const opts = client === 'passthrough' ? { perEndpoint: ep } : {}
    stderr += `${warnLine(run, logCfg, r.error, opts)}\nFailed to get the status of endpoint ${ep} (context deadline exceeded)\n`
  }
  const storageVersion = run.profile.etcd.storageVersion
  const rows = ok.map(({ ep, p }) => {
    const size = p.data.dbSize()
    const inUse = Math.min(size, p.data.inUseBytes())
    const base = [ep, hexId(p.memberId), run.profile.etcdVersion]
    const tail = [
      String(p.isLeader),
      'false',
      String(p.raftTerm),
      String(p.raftIndex),
      String(p.raftIndex),
      '',
    ]
    if (storageVersion)
      return [
        ...base,
        storageVersion,
        humanBytes(size),
        humanBytes(inUse),
        `${Math.trunc(100 - (inUse * 100) / size)}%`,
        humanBytes(0),
        ...tail,
        '',
        'false',
      ]
    return [...base, humanBytes(size), ...tail]
  })
  let stdout: string
  if (format === 'json') {
    stdout = `${goJson(
      ok.map(({ ep, p }) => {
        const st: Record<string, JsonValue> = {
          header: hdrJson(header(p)),
          version: run.profile.etcdVersion,
          dbSize: p.data.dbSize(),
          leader: p.leaderId,
          raftIndex: p.raftIndex,
          raftTerm: p.raftTerm,
          raftAppliedIndex: p.raftIndex,
          dbSizeInUse: Math.min(p.data.dbSize(), p.data.inUseBytes()),
        }
        if (!p.leaderId) delete st.leader
        if (storageVersion) st.storageVersion = storageVersion
        return { Endpoint: ep, Status: st }
      }),
    )}\n`
  } else if (format === 'table') {
    const head = storageVersion
      ? [
          'Endpoint',
          'ID',
          'Version',
          'Storage Version',
          'DB Size',
          'In Use',
          'Percentage Not In Use',
          'Quota',
          'Is Leader',
          'Is Learner',
          'Raft Term',
          'Raft Index',
          'Raft Applied Index',
          'Errors',
          'Downgrade Target Version',
          'Downgrade Enabled',
        ]
      : [
          'Endpoint',
          'ID',
          'Version',
          'DB Size',
          'Is Leader',
          'Is Learner',
          'Raft Term',
          'Raft Index',
          'Raft Applied Index',
          'Errors',
        ]
    stdout = renderTable(head, rows)
  } else if (format === 'fields') {
    stdout = ''
    for (const { ep, p } of ok) {
      stdout += fieldsHdr(header(p))
      stdout += `"Version" : "${run.profile.etcdVersion}"\n"DBSize" : ${p.data.dbSize()}\n"Leader" : ${p.leaderId}\n"IsLearner" : false\n"RaftIndex" : ${p.raftIndex}\n"RaftTerm" : ${p.raftTerm}\n"RaftAppliedIndex" : ${p.raftIndex}\n"Errors" : []\n"Endpoint" : "${ep}"\n\n`
    }
  } else {
    stdout = rows.map((r) => `${r.join(', ')}\n`).join('')
  }
  return out(stdout, stderr, ok.length === eps.length ? 0 : EXIT_ERROR)
}

export async function endpointHealth(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  let eps = cfg.endpoints
  if (parseBool(run.flags.get('cluster'))) {
    const r = await clusterEndpoints(run, cfg)
    if (!Array.isArray(r)) return r
    eps = r
  }
  let stderr = cfg.prefix
  let stdout = ''
  const results: Array<{ ep: string; health: boolean; took: string; error?: string }> = []
  const rng = createRng(seedFrom(`${run.ctx.node.cluster.clock.now()}`))
  for (const ep of eps) {
    const r = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (!r.ok) {
      await waitTimeout(run, cfg.commandTimeout)
      // etcdctl 3.5.16's per-endpoint health clients log as "client" (the capture shows it)
      stderr += `${warnLine(run, { ...cfg, endpoints: [ep] }, r.error, { logger: facts(run).healthLogger })}\n`
      results.push({
        ep,
        health: false,
        took: goDuration(cfg.commandTimeout + 1.236329),
        error: 'context deadline exceeded',
      })
      continue
    }
    if (!r.proc.group?.leader) {
      await waitTimeout(run, cfg.commandTimeout)
      results.push({
        ep,
        health: false,
        took: goDuration(cfg.commandTimeout + 1.236329),
        error: 'context deadline exceeded',
      })
      continue
    }
    results.push({ ep, health: true, took: goDuration(6 + Math.round(rng() * 6e6) / 1e6) })
  }
  const healthyToStdout = facts(run).healthyToStdout
  if (format === 'json') {
    stdout = `${goJson(results.map((x) => ({ endpoint: x.ep, health: x.health, took: x.took, ...(x.error ? { error: x.error } : {}) })))}\n`
  } else if (format === 'table') {
    stdout = renderTable(
      ['endpoint', 'health', 'took', 'error'],
      results.map((x) => [x.ep, String(x.health), x.took, x.error ?? '']),
    )
  } else {
    for (const x of results) {
      if (x.health) {
        const line = `${x.ep} is healthy: successfully committed proposal: took = ${x.took}\n`
        if (healthyToStdout) stdout += line
        else stderr += line
      } else stderr += `${x.ep} is unhealthy: failed to commit proposal: ${x.error}\n`
    }
  }
  if (results.some((x) => !x.health)) return out(stdout, `${stderr}Error: unhealthy cluster\n`, EXIT_ERROR)
  return out(stdout, stderr)
}

function idText(id: bigint): string {
  return id.toString(16).padStart(16, ' ')
}

export async function memberAdd(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const name = run.positional[0]
  if (run.positional.length !== 1 || !name)
    return out('', `${cfg.prefix}Error: member name not provided\n`, EXIT_BAD_ARGS)
  const urls = (run.flags.get('peer-urls') ?? '').split(',').filter(Boolean)
  if (urls.length === 0) return out('', `${cfg.prefix}Error: member peer urls not provided\n`, EXIT_BAD_ARGS)
  const learner = parseBool(run.flags.get('learner'))
  const r = await withLeader(run, cfg, (p) => {
    const g = p.group
    if (!g?.leader) throw new NoLeaderError()
    for (const m of g.members)
      if (m.peerURLs.some((u) => urls.includes(u)))
        return { code: 'FailedPrecondition', error: 'etcdserver: Peer URLs already exists' }
    const id = joinedMemberId(urls[0] as string, '', Math.floor(run.ctx.node.cluster.clock.now() / 1000))
    g.members.push({
      id: hexId(id),
      name: '',
      peerURLs: urls,
      clientURLs: [],
      isLearner: learner || undefined,
    })
    g.commit()
    for (const x of g.processes) void x.writeWal()
    etcdRuntime(run.ctx.node.cluster).recompute()
    return { id, p, members: membersOf(p).map((m) => ({ ...m })) }
  })
  if (isResult(r)) return r
  if ('error' in r) return serverError(run, cfg, r.code ?? 'Unknown', r.error ?? '')
  // etcdctl 3.4 does not say "as learner".
  const as = learner && facts(run).learnerWording ? ' as learner ' : ' '
  let s = `Member ${idText(r.id)} added${as}to cluster ${idText(r.p.clusterId)}\n`
  const conf: string[] = []
  for (const m of r.members)
    for (const u of m.peerURLs) conf.push(`${m.id === hexId(r.id) ? name : m.name}=${u}`)
  s += `\nETCD_NAME=${JSON.stringify(name)}\nETCD_INITIAL_CLUSTER=${JSON.stringify(conf.join(','))}\nETCD_INITIAL_ADVERTISE_PEER_URLS=${JSON.stringify(urls.join(','))}\nETCD_INITIAL_CLUSTER_STATE="existing"\n`
  return out(s, cfg.prefix)
}

export async function memberChange(
  run: Run,
  cfg: ClientCfg,
  verb: 'removed from' | 'promoted in',
): Promise<CommandResult> {
  const arg = run.positional[0]
  if (run.positional.length !== 1 || !arg)
    return out('', `${cfg.prefix}Error: member ID is not provided\n`, EXIT_BAD_ARGS)
  if (!/^[0-9a-fA-F]{1,16}$/.test(arg))
    return out(
      '',
      `${cfg.prefix}Error: bad member ID arg (strconv.ParseUint: parsing ${JSON.stringify(arg)}: invalid syntax), expecting ID in Hex\n`,
      EXIT_BAD_ARGS,
    )
  const id = BigInt(`0x${arg}`)
  const r = await withLeader(run, cfg, (p) => {
    const g = p.group
    if (!g?.leader) throw new NoLeaderError()
    const m = g.members.find((x) => x.id === hexId(id))
    if (!m) return { code: 'NotFound', error: 'etcdserver: member not found' }
    if (verb === 'promoted in') {
      if (!m.isLearner)
        return { code: 'FailedPrecondition', error: 'etcdserver: can only promote a learner member' }
      m.isLearner = undefined
    } else {
      g.members.splice(g.members.indexOf(m), 1)
    }
    g.commit()
    for (const x of g.processes) void x.writeWal()
    const removed = verb === 'removed from' ? g.processes.find((x) => x.memberId === id) : undefined
    if (removed) void removed.removedFromCluster()
    etcdRuntime(run.ctx.node.cluster).recompute()
    return { p }
  })
  if (isResult(r)) return r
  if ('error' in r) return serverError(run, cfg, r.code ?? 'Unknown', r.error ?? '')
  return out(`Member ${idText(id)} ${verb} cluster ${idText(r.p.clusterId)}\n`, cfg.prefix)
}

/** `memberID:<decimal> alarm:NOSPACE ` per raised alarm (with the trailing space etcdctl prints). */
function alarmLines(alarms: Array<{ memberId: bigint; alarm: string }>): string {
  return alarms.map((a) => `memberID:${a.memberId} alarm:${a.alarm} \n`).join('')
}

export async function alarmList(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const r = await withLeader(run, cfg, (p) => {
    if (!p.group?.leader) throw new NoLeaderError()
    return alarmLines(p.group.alarms)
  })
  if (isResult(r)) return r
  return out(r, cfg.prefix)
}

/** Clears every alarm and prints the ones it cleared (a write past the quota raises NOSPACE again). */
export async function alarmDisarm(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const r = await withLeader(run, cfg, (p) => {
    const g = p.group
    if (!g?.leader) throw new NoLeaderError()
    const cleared = alarmLines(g.alarms)
    g.alarms = []
    g.flush()
    return cleared
  })
  if (isResult(r)) return r
  return out(r, cfg.prefix)
}

export async function defrag(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  let eps = cfg.endpoints
  // --cluster defragments every member at the client URLs it advertises
  if (parseBool(run.flags.get('cluster'))) {
    const r = await clusterEndpoints(run, cfg)
    if (!Array.isArray(r)) return r
    eps = r
  }
  let stdout = ''
  let stderr = cfg.prefix
  let failed = false
  for (const ep of eps) {
    const c = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (!c.ok) {
      await waitTimeout(run, cfg.commandTimeout)
      // 3.5 defragments each endpoint through the one client, whose grpc target names the first
      // endpoint; 3.4 and 3.6 dial each (defrag_command.go at v3.5.16 and v3.6.4)
      const logCfg = facts(run).defragClient === 'shared' ? cfg : { ...cfg, endpoints: [ep] }
      const took = facts(run).defragTook ? `. took ${goDuration(cfg.commandTimeout + 0.4)}.` : ''
      stderr += `${warnLine(run, logCfg, c.error)}\nFailed to defragment etcd member[${ep}]${took} (context deadline exceeded)\n`
      failed = true
      continue
    }
    c.proc.data.defragment()
    c.proc.queueFlush()
    // 3.6 says how long it took (defrag_command.go at v3.6.4)
    const took = facts(run).defragTook ? `. took ${goDuration(8 + (c.proc.data.dbSize() % 997) / 100)}` : ''
    stdout += `Finished defragmenting etcd member[${ep}]${took}\n`
  }
  return out(stdout, stderr, failed ? EXIT_ERROR : 0)
}

export async function compaction(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const arg = run.positional[0]
  if (run.positional.length !== 1 || !arg)
    return out('', `${cfg.prefix}Error: compaction command needs 1 argument\n`, EXIT_BAD_ARGS)
  const rev = Number(arg)
  if (!Number.isInteger(rev))
    return out(
      '',
      `${cfg.prefix}Error: strconv.ParseInt: parsing ${JSON.stringify(arg)}: invalid syntax\n`,
      EXIT_BAD_ARGS,
    )
  const r = await withLeader(run, cfg, (p) => {
    const g = p.group
    if (!g?.leader) throw new NoLeaderError()
    if (rev <= g.keyspace.compactRevision)
      return { code: 'OutOfRange', error: 'etcdserver: mvcc: required revision has been compacted' }
    if (rev > g.keyspace.revision)
      return { code: 'OutOfRange', error: 'etcdserver: mvcc: required revision is a future revision' }
    g.keyspace.compact(rev)
    g.commit()
    return { ok: true }
  })
  if (isResult(r)) return r
  if ('error' in r) return serverError(run, cfg, r.code ?? 'Unknown', r.error ?? '')
  return out(`compacted revision ${rev}\n`, cfg.prefix)
}

/**
 * `move-leader <id>` as etcdctl 3.4/3.5 runs it (move_leader_command.go): the
 * argument is parsed first, then each endpoint is asked for its status until
 * one is the leader, and that member is asked to hand leadership over.
 * Checked against 3.4.23 and 3.5.16 on one member: its own ID succeeds
 * ("from X to X"), an unknown ID is `etcdserver: bad leader transferee`.
 */
export async function moveLeader(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  if (run.positional.length !== 1)
    return out('', `${cfg.prefix}Error: move-leader command needs 1 argument\n`, EXIT_BAD_ARGS)
  const arg = run.positional[0] as string
  if (!/^[0-9a-fA-F]+$/.test(arg) || arg.replace(/^0+/, '').length > 16)
    return out(
      '',
      `${cfg.prefix}Error: strconv.ParseUint: parsing ${JSON.stringify(arg)}: ${/^[0-9a-fA-F]+$/.test(arg) ? 'value out of range' : 'invalid syntax'}\n`,
      EXIT_BAD_ARGS,
    )
  const target = BigInt(`0x${arg}`)
  let leader: { ep: string; p: EtcdProcess } | undefined
  for (const ep of cfg.endpoints) {
    const r = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (!r.ok) return failUnary(run, { ...cfg, endpoints: [ep] }, r.error)
    if (r.proc.group?.leader === r.proc) {
      leader = { ep, p: r.proc }
      break
    }
  }
  if (!leader)
    return out(
      '',
      `${cfg.prefix}Error: no leader endpoint given at [${cfg.endpoints.join(' ')}]\n`,
      EXIT_BAD_ARGS,
    )
  const leaderCfg = { ...cfg, endpoints: [leader.ep] }
  const g = leader.p.group
  const member = g?.members.find((m) => m.id === hexId(target))
  if (!g || !member || member.isLearner)
    return serverError(run, leaderCfg, 'FailedPrecondition', 'etcdserver: bad leader transferee')
  const from = leader.p.memberId
  if (target !== from) {
    const transferee = g.processes.find((p) => p.memberId === target)
    if (transferee) {
      g.lastLeaderId = target
      g.leader = undefined
      etcdRuntime(run.ctx.node.cluster).recompute()
    }
    if (g.leader?.memberId !== target) {
      // A transferee that is down or cannot reach a quorum never takes over; the leader waits out the request.
      await waitTimeout(run, cfg.commandTimeout)
      return serverError(
        run,
        leaderCfg,
        'DeadlineExceeded',
        'etcdserver: request timed out, leader transfer took too long',
      )
    }
  }
  return out(`Leadership transferred from ${hexId(from)} to ${hexId(target)}\n`, cfg.prefix)
}
