import { endpointStatus, hexId, type Member, memberList } from '../../simulator/src/grader/kit/etcd'
import type { Check, CheckContext, CheckOutcome } from '../../simulator/src/grader/types'

// Checks for etcd-inspect: the learner's answers against what this cluster's
// etcd says right now. Formatting is forgiven (spaces, commas, case, a "v"
// prefix, a trailing slash); the facts are not.

const DIR = '/opt/answers'

interface Truth {
  members: Member[]
  version: string
  leader?: Member
}

async function truth(ctx: CheckContext): Promise<Truth | string> {
  const cp = ctx.node('cp1')
  const ml = await memberList(ctx, cp)
  if (!ml.members) return `member list failed: ${ml.error}`
  const endpoints = ml.members.flatMap((m) => m.clientURLs.slice(0, 1)).join(',')
  const st = await endpointStatus(ctx, cp, endpoints)
  if (st.statuses.length === 0) return `endpoint status failed: ${st.error}`
  const leaderId = st.statuses[0].leader
  return {
    members: ml.members,
    version: st.statuses[0].version,
    leader: ml.members.find((m) => m.id === leaderId),
  }
}

async function answer(ctx: CheckContext, file: string): Promise<string | undefined> {
  return ctx.readText(ctx.node('cp1'), `${DIR}/${file}`)
}

function unknownTruth(expected: string, why: string): CheckOutcome {
  return {
    verdict: 'unknown',
    expected,
    actual: 'the grader could not ask etcd',
    note: why,
    hint: 'etcd must be running for this to be graded.',
  }
}

const versionCheck: Check = {
  id: 'etcd-version-found',
  title: `${DIR}/etcd-version holds the etcd server version`,
  points: 30,
  async run(ctx) {
    const t = await truth(ctx)
    if (typeof t === 'string') return unknownTruth('the etcd server version', t)
    const expected = `the server version ${t.version}`
    const text = await answer(ctx, 'etcd-version')
    if (text === undefined)
      return {
        verdict: 'fail',
        expected,
        actual: `${DIR}/etcd-version does not exist`,
        hint: `Write the version to ${DIR}/etcd-version.`,
      }
    const given = text.trim().replace(/^v/i, '')
    if (given === t.version) return { verdict: 'pass', expected, actual: `"${text.trim()}"` }
    return {
      verdict: 'fail',
      expected,
      actual: `"${text.trim()}"`,
      hint: '`etcdctl endpoint status -w table` shows the VERSION the server runs; `etcdctl version` shows the client and the API version.',
    }
  },
}

/** Lines like "ID NAME", "ID, NAME", or a pasted member-list row. */
export function parseMembers(text: string, known: Member[]): { matched: Member[]; unmatched: string[] } {
  const matched: Member[] = []
  const unmatched: string[] = []
  for (const line of text.split('\n')) {
    const tokens = line
      .split(/[\s,|]+/)
      .map((t) => t.trim())
      .filter(Boolean)
    if (tokens.length === 0) continue
    const m = known.find(
      (k) => tokens.some((t) => /^[0-9a-f]+$/i.test(t) && hexId(t) === k.id) && tokens.includes(k.name),
    )
    if (m && !matched.includes(m)) matched.push(m)
    else unmatched.push(line.trim())
  }
  return { matched, unmatched }
}

const membersCheck: Check = {
  id: 'members-listed',
  title: `${DIR}/members lists every member's ID and name`,
  points: 35,
  async run(ctx) {
    const t = await truth(ctx)
    if (typeof t === 'string') return unknownTruth('every member as "ID NAME"', t)
    const expected = t.members.map((m) => `${m.id} ${m.name}`).join('; ')
    const text = await answer(ctx, 'members')
    if (text === undefined)
      return {
        verdict: 'fail',
        expected,
        actual: `${DIR}/members does not exist`,
        hint: 'Write one line per member.',
      }
    const { matched, unmatched } = parseMembers(text, t.members)
    const actual = `${matched.length} of ${t.members.length} members matched${unmatched.length ? `; not matching: ${unmatched.map((u) => `"${u}"`).join(', ')}` : ''}`
    if (matched.length === t.members.length && unmatched.length === 0)
      return { verdict: 'pass', expected, actual }
    return {
      verdict: 'fail',
      expected,
      actual,
      hint: 'Every member on its own line: the hex ID exactly as `etcdctl member list` prints it, then the name. `-w json` prints IDs in decimal.',
    }
  },
}

function normUrl(u: string): string {
  return u
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase()
}

const leaderCheck: Check = {
  id: 'leader-found',
  title: `${DIR}/leader holds the leader's client URL`,
  points: 35,
  async run(ctx) {
    const t = await truth(ctx)
    if (typeof t === 'string') return unknownTruth("the leader's client URL", t)
    if (!t.leader) return unknownTruth("the leader's client URL", 'the cluster has no leader right now')
    const expected = `${t.leader.clientURLs.join(' or ')} (member ${t.leader.name})`
    const text = await answer(ctx, 'leader')
    if (text === undefined)
      return {
        verdict: 'fail',
        expected,
        actual: `${DIR}/leader does not exist`,
        hint: `Write the URL to ${DIR}/leader.`,
      }
    const given = normUrl(text)
    if (t.leader.clientURLs.some((u) => normUrl(u) === given))
      return { verdict: 'pass', expected, actual: `"${text.trim()}"` }
    return {
      verdict: 'fail',
      expected,
      actual: `"${text.trim()}"`,
      hint: 'Ask every member: `etcdctl endpoint status --cluster -w table`, and take the row where IS LEADER is true.',
    }
  },
}

export const checks: Check[] = [versionCheck, membersCheck, leaderCheck]
