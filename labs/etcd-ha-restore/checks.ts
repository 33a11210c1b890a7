import {
  type EndpointStatus,
  endpointStatus,
  type Member,
  memberList,
  parseJsonBig,
} from '../../simulator/src/grader/kit/etcd'
import { judgeSnapshot, judgeUndo } from '../../simulator/src/grader/kit/restore'
import type { Check, CheckContext, Probe } from '../../simulator/src/grader/types'

// Checks for etcd-ha-restore: every member is asked on its own endpoint, so a
// node left on the old data, or three one-member clusters made with default
// restore flags, cannot pass for one restored three-member cluster.

const SNAPSHOT = '/opt/backup/etcd-snapshot.db'
const WAIT_MS = 90_000

interface Expected {
  names: string[]
  endpoints: string[]
}

/** The members as they were at setup: names and client URLs (fact `setupMembers`). */
function expectedMembers(ctx: CheckContext): Expected | undefined {
  const raw = ctx.facts.setupMembers
  if (typeof raw !== 'string') return undefined
  try {
    const j = parseJsonBig(raw)
    const members: Array<{ name: string; clientURLs: string[] }> = j.members ?? []
    if (members.length === 0) return undefined
    return {
      names: members.map((m) => m.name).sort(),
      endpoints: members.map((m) => m.clientURLs[0]).filter(Boolean),
    }
  } catch {
    return undefined
  }
}

function noFacts() {
  return {
    verdict: 'unknown' as const,
    expected: 'the member list recorded at setup',
    actual: 'the lab setup did not record the members',
    hint: 'Reset the lab; its setup did not finish.',
  }
}

/** Each endpoint on its own: its status, or why it did not answer. */
async function perEndpoint(ctx: CheckContext, endpoints: string[]): Promise<Array<EndpointStatus | string>> {
  const cp = ctx.node('cp1')
  const out: Array<EndpointStatus | string> = []
  for (const ep of endpoints) {
    const r = await endpointStatus(ctx, cp, ep)
    out.push(r.statuses[0] ?? `${ep} did not answer (${(r.error ?? '').split('\n').pop()})`)
  }
  return out
}

export const probes: Record<string, Probe> = {
  snapshotReady: async (ctx) => (await judgeSnapshot(ctx, SNAPSHOT)).verdict === 'pass',
}

const snapshotSaved: Check = {
  id: 'snapshot-saved',
  title: `A current snapshot is saved at ${SNAPSHOT} on the first control plane`,
  points: 15,
  run: (ctx) => judgeSnapshot(ctx, SNAPSHOT),
}

const threeMembers: Check = {
  id: 'three-members-started',
  title: 'Every member sees the same three started members',
  points: 20,
  budgetMs: 60_000,
  async run(ctx) {
    const want = expectedMembers(ctx)
    if (!want) return noFacts()
    const expected = `each of ${want.endpoints.join(', ')} lists the same ${want.names.length} started members: ${want.names.join(', ')}`
    const cp = ctx.node('cp1')
    let actual = ''
    const ok = await ctx.waitFor(
      async () => {
        const lists: Member[][] = []
        for (const ep of want.endpoints) {
          const ml = await memberList(ctx, cp, ep)
          if (!ml.members) {
            actual = `${ep} cannot list members: ${ml.error}`
            return undefined
          }
          lists.push(ml.members)
        }
        const key = (ms: Member[]) =>
          ms
            .map((m) => `${m.id}:${m.name}`)
            .sort()
            .join(',')
        const first = lists[0]
        const names = first.map((m) => m.name).sort()
        if (lists.some((l) => key(l) !== key(first))) {
          actual = `the members disagree: ${lists.map((l, i) => `${want.endpoints[i]} sees [${key(l)}]`).join('; ')}`
          return undefined
        }
        if (first.some((m) => m.isLearner || m.name === '') || names.join(',') !== want.names.join(',')) {
          actual = `members: ${first.map((m) => `${m.id} ${m.name || '(unstarted)'}${m.isLearner ? ' (learner)' : ''}`).join(', ')}`
          return undefined
        }
        actual = `all endpoints list ${key(first)}`
        return true
      },
      WAIT_MS,
      {
        everyMs: 5000,
        what: () =>
          `waiting for every member to list the same started members${actual ? ` (now: ${actual})` : ''}`,
      },
    )
    if (ok) return { verdict: 'pass', expected, actual }
    return {
      verdict: 'fail',
      expected,
      actual,
      hint: 'Every node must restore the same snapshot with its own --name and --initial-advertise-peer-urls and the same --initial-cluster of all three.',
    }
  },
}

const oneCluster: Check = {
  id: 'one-cluster-id',
  title: 'All three members form one cluster',
  points: 20,
  budgetMs: 60_000,
  async run(ctx) {
    const want = expectedMembers(ctx)
    if (!want) return noFacts()
    const expected = 'every member answers with the same cluster ID and its own member ID'
    let actual = ''
    const ok = await ctx.waitFor(
      async () => {
        const st = await perEndpoint(ctx, want.endpoints)
        const down = st.filter((s) => typeof s === 'string') as string[]
        if (down.length > 0) {
          actual = down.join('; ')
          return undefined
        }
        const ss = st as EndpointStatus[]
        const clusters = new Set(ss.map((s) => s.clusterId))
        const ids = new Set(ss.map((s) => s.memberId))
        actual = ss.map((s) => `${s.endpoint}: cluster ${s.clusterId}, member ${s.memberId}`).join('; ')
        return clusters.size === 1 && ids.size === ss.length ? true : undefined
      },
      WAIT_MS,
      {
        everyMs: 5000,
        what: () =>
          `waiting for every member to answer with one cluster ID and its own member ID${actual ? ` (now: ${actual})` : ''}`,
      },
    )
    if (ok) return { verdict: 'pass', expected, actual }
    return {
      verdict: 'fail',
      expected,
      actual,
      hint: 'Different cluster IDs mean a member kept old data or was restored with other flags; the same member ID on every node means the restores used the default --name and peer URL.',
    }
  },
}

const leader: Check = {
  id: 'leader-elected',
  title: 'The cluster has one leader all members agree on',
  points: 15,
  budgetMs: 60_000,
  async run(ctx) {
    const want = expectedMembers(ctx)
    if (!want) return noFacts()
    const expected = `all ${want.endpoints.length} members report the same leader, which is one of them`
    let actual = ''
    const ok = await ctx.waitFor(
      async () => {
        const st = await perEndpoint(ctx, want.endpoints)
        const ss = st.filter((s) => typeof s !== 'string') as EndpointStatus[]
        if (ss.length < st.length) {
          actual = (st.filter((s) => typeof s === 'string') as string[]).join('; ')
          return undefined
        }
        const leaders = new Set(ss.map((s) => s.leader))
        const ids = new Set(ss.map((s) => s.memberId))
        actual = ss.map((s) => `${s.endpoint} (member ${s.memberId}) says leader ${s.leader}`).join('; ')
        const [l] = [...leaders]
        return leaders.size === 1 && l !== '0' && ids.has(l) && ids.size === ss.length ? true : undefined
      },
      WAIT_MS,
      {
        everyMs: 5000,
        what: () => `waiting for the members to agree on one leader${actual ? ` (now: ${actual})` : ''}`,
      },
    )
    if (ok) return { verdict: 'pass', expected, actual }
    return {
      verdict: 'fail',
      expected,
      actual,
      hint: 'A leader needs a quorum: at least two of the three members must be running in the same cluster.',
    }
  },
}

const changeUndone: Check = {
  id: 'post-snapshot-change-undone',
  title: 'The change made after the backup is undone by the restore',
  points: 30,
  budgetMs: 60_000,
  run: (ctx) =>
    judgeUndo(ctx, {
      before: String(ctx.facts.preSnapshotDeployment ?? 'payments-api'),
      after:
        typeof ctx.facts.postSnapshotDeployment === 'string' ? ctx.facts.postSnapshotDeployment : undefined,
      marker: String(ctx.facts.postSnapshotKey ?? '/ckalab/after-backup'),
      snapshotFile: SNAPSHOT,
      waitMs: WAIT_MS,
    }),
}

export const checks: Check[] = [snapshotSaved, threeMembers, oneCluster, leader, changeUndone]
