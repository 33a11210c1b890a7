import type { Check, CheckContext, CheckOutcome } from '../../simulator/src/labs/types'

// Checks for etcd-client-setup: run the commands the way the task says — in a
// new interactive login shell as root, no flags — and judge what etcdctl does.
// Where the settings live (/etc/profile.d, ~/.profile, ~/.bashrc) is the learner's choice;
// `command` skips aliases and shell functions, which the task rules out.

/** A fresh interactive login shell, as a new terminal would start one. */
function loginShell(command: string): string {
  return `bash -l -i -c '${command}'`
}

async function settings(ctx: CheckContext): Promise<string> {
  const r = await ctx.exec(ctx.node('cp1'), loginShell('env | grep ^ETCDCTL_ | sort'))
  return r.stdout.trim() ? r.stdout.trim().split('\n').join(', ') : 'no ETCDCTL_* variables'
}

/** Undefined when a login shell starts; otherwise why the check cannot judge. */
async function cannotLogin(ctx: CheckContext, expected: string): Promise<CheckOutcome | undefined> {
  const r = await ctx.exec(ctx.node('cp1'), loginShell('echo login-shell-ok'))
  if (r.stdout.includes('login-shell-ok')) return undefined
  return {
    verdict: 'unknown',
    expected,
    actual: 'the grader could not start a login shell on the node',
    note: `bash -l -i -c exited ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`,
    hint: 'A broken profile file can stop every login shell: check /etc/profile.d/*.sh and ~/.bashrc for errors.',
  }
}

function failure(expected: string, actual: string, env: string): CheckOutcome {
  const none = env === 'no ETCDCTL_* variables'
  return {
    verdict: 'fail',
    expected,
    actual: `${actual} (a new login shell has ${env})`,
    hint: none
      ? 'A new login shell does not see your settings: put `export ETCDCTL_…=…` lines into /etc/profile.d/etcdctl.sh (or ~/.bashrc).'
      : 'The variables arrive, but etcdctl cannot connect with them: compare the CA, certificate and key with `--trusted-ca-file`, `--cert-file` and `--key-file` in etcd.yaml.',
  }
}

const memberList: Check = {
  id: 'member-list-without-flags',
  title: '`etcdctl member list` works without flags in a new login shell',
  points: 50,
  async run(ctx) {
    const expected = '`etcdctl member list` in a new login shell lists the member and exits 0'
    const broken = await cannotLogin(ctx, expected)
    if (broken) return broken
    const r = await ctx.exec(ctx.node('cp1'), loginShell('command etcdctl member list'))
    if (r.exitCode === 0 && /, started, /.test(r.stdout))
      return { verdict: 'pass', expected, actual: r.stdout.trim().split('\n')[0] }
    const last = (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.exitCode}`
    return failure(expected, `exit ${r.exitCode}: ${last}`, await settings(ctx))
  },
}

const endpointHealth: Check = {
  id: 'endpoint-health-without-flags',
  title: '`etcdctl endpoint health` reports the local member healthy over TLS',
  points: 50,
  async run(ctx) {
    const expected = '`etcdctl endpoint health` in a new login shell: https://127.0.0.1:2379 is healthy'
    const broken = await cannotLogin(ctx, expected)
    if (broken) return broken
    const r = await ctx.exec(ctx.node('cp1'), loginShell('command etcdctl endpoint health'))
    const text = `${r.stdout}\n${r.stderr}`
    const healthy = /^(https:\/\/)?(127\.0\.0\.1|localhost|[\d.]+):2379 is healthy/m.exec(text)
    if (r.exitCode === 0 && healthy) return { verdict: 'pass', expected, actual: healthy[0] }
    const last = text.trim().split('\n').pop() ?? `exit ${r.exitCode}`
    return failure(expected, `exit ${r.exitCode}: ${last}`, await settings(ctx))
  },
}

export const checks: Check[] = [memberList, endpointHealth]
