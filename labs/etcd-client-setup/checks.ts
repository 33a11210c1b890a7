import type { Check, CheckContext, CheckOutcome } from '../../simulator/src/grader/types'

// Checks for etcd-client-setup: run the commands the way the task says — in a
// new terminal (a new interactive login shell as root), no flags — and judge
// what etcdctl does. Where the settings live (/etc/profile.d, ~/.profile,
// ~/.bashrc) is the learner's choice; `command` skips aliases and shell
// functions, which the task rules out.

const NO_VARS = 'no ETCDCTL_* variables'
const SPLIT = 'ckalab-member-list-exit'

interface Observed {
  memberList: { exitCode: number; output: string }
  health: { exitCode: number; output: string }
  /** Set when no terminal could be opened. */
  error?: string
}

/** One new terminal per grading runs both commands; each check judges its part. */
function observe(ctx: CheckContext): Promise<Observed> {
  return ctx.once('etcdctl-in-new-terminal', async () => {
    const r = await ctx.inNewTerminal(
      ctx.node('cp1'),
      `command etcdctl member list; echo "${SPLIT}=$?"; command etcdctl endpoint health`,
    )
    const at = r.stdout.indexOf(`${SPLIT}=`)
    if (r.exitCode === 255 && r.stderr)
      return {
        memberList: { exitCode: 255, output: '' },
        health: { exitCode: 255, output: '' },
        error: r.stderr,
      }
    if (at < 0)
      return { memberList: { exitCode: 255, output: r.stdout }, health: { exitCode: r.exitCode, output: '' } }
    const rest = r.stdout.slice(at)
    const status = Number(/^[^=]+=(\d+)/.exec(rest)?.[1] ?? 255)
    return {
      memberList: { exitCode: status, output: r.stdout.slice(0, at) },
      health: { exitCode: r.exitCode, output: rest.slice(rest.indexOf('\n') + 1) },
    }
  })
}

function settings(ctx: CheckContext): Promise<string> {
  return ctx.once('etcdctl-settings', () => readSettings(ctx))
}

async function readSettings(ctx: CheckContext): Promise<string> {
  const r = await ctx.inNewTerminal(ctx.node('cp1'), 'env | grep ^ETCDCTL_ | sort')
  const vars = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('ETCDCTL_'))
  return vars.length > 0 ? vars.join(', ') : NO_VARS
}

function cannotJudge(expected: string, stderr: string): CheckOutcome {
  return {
    verdict: 'unknown',
    expected,
    actual: 'the grader could not open a terminal on the node',
    note: stderr,
    hint: 'A broken profile file can stop every login shell: check /etc/profile.d/*.sh and ~/.bashrc for errors.',
  }
}

async function failure(
  ctx: CheckContext,
  expected: string,
  exitCode: number,
  output: string,
): Promise<CheckOutcome> {
  const env = await settings(ctx)
  const last = output.trim().split('\n').pop() || `exit ${exitCode}`
  return {
    verdict: 'fail',
    expected,
    actual: `exit ${exitCode}: ${last} (a new login shell has ${env})`,
    hint:
      env === NO_VARS
        ? 'A new login shell does not see your settings: put `export ETCDCTL_…=…` lines into /etc/profile.d/etcdctl.sh (or ~/.bashrc).'
        : 'The variables arrive, but etcdctl cannot connect with them: compare the CA, certificate and key with `--trusted-ca-file`, `--cert-file` and `--key-file` in etcd.yaml.',
  }
}

const memberList: Check = {
  id: 'member-list-without-flags',
  title: '`etcdctl member list` works without flags in a new login shell',
  points: 50,
  async run(ctx) {
    const expected = '`etcdctl member list` in a new terminal lists the member and exits 0'
    const o = await observe(ctx)
    if (o.error) return cannotJudge(expected, o.error)
    const r = o.memberList
    if (r.exitCode === 0 && /, started, /.test(r.output))
      return { verdict: 'pass', expected, actual: r.output.trim().split('\n')[0] }
    return failure(ctx, expected, r.exitCode, r.output)
  },
}

const endpointHealth: Check = {
  id: 'endpoint-health-without-flags',
  title: '`etcdctl endpoint health` reports the local member healthy over TLS',
  points: 50,
  async run(ctx) {
    const expected = '`etcdctl endpoint health` in a new terminal: https://127.0.0.1:2379 is healthy'
    const o = await observe(ctx)
    if (o.error) return cannotJudge(expected, o.error)
    const r = o.health
    const healthy = /^(https:\/\/)?(127\.0\.0\.1|localhost|[\d.]+):2379 is healthy/m.exec(r.output)
    const note = 'run in the same new terminal as member-list-without-flags (see its evidence)'
    if (r.exitCode === 0 && healthy) return { verdict: 'pass', expected, actual: healthy[0], note }
    return { ...(await failure(ctx, expected, r.exitCode, r.output)), note }
  },
}

export const checks: Check[] = [memberList, endpointHealth]
