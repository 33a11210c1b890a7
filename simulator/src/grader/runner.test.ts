import { describe, expect, it } from 'vitest'
import { runCheck, runChecks } from './runner'
import { FakeEnv, FakeNode } from './testing/fake-node'
import type { Check } from './types'

const env = () =>
  new FakeEnv([
    new FakeNode('controlplane', 'control-plane', [{ match: /^echo/, result: { stdout: 'hi\n' } }]),
  ])

const good: Check = {
  id: 'good',
  title: 'passes',
  points: 5,
  async run(ctx) {
    const r = await ctx.exec(ctx.node('cp1'), 'echo hi')
    return { verdict: r.stdout === 'hi\n' ? 'pass' : 'fail', expected: 'hi', actual: r.stdout.trim() }
  },
}

describe('runCheck', () => {
  it('records the commands a check ran as evidence', async () => {
    const r = await runCheck(good, { env: env(), facts: {} })
    expect(r.verdict).toBe('pass')
    expect(r.evidence.commands).toEqual([
      expect.objectContaining({ node: 'controlplane', command: 'echo hi', exitCode: 0 }),
    ])
    expect(r.hint).toBeUndefined()
  })

  it('turns a throwing check into unknown with the reason', async () => {
    const bad: Check = {
      id: 'x',
      title: 'x',
      points: 1,
      run: async () => {
        throw new Error('boom')
      },
    }
    const r = await runCheck(bad, { env: env(), facts: {} })
    expect(r.verdict).toBe('unknown')
    expect(r.evidence.note).toContain('boom')
  })

  it('turns a hanging check into unknown after its budget', async () => {
    const hang: Check = { id: 'h', title: 'h', points: 1, budgetMs: 50, run: () => new Promise(() => {}) }
    const started = Date.now()
    const r = await runCheck(hang, { env: env(), facts: {} })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(r.verdict).toBe('unknown')
    expect(r.evidence.note).toMatch(/did not finish within 0\.1 s/)
  })

  it.each([
    [null, 'null'],
    [42, 'number'],
    [{ verdict: 'passed', expected: '', actual: '' }, 'not pass, fail or unknown'],
    [{ verdict: 'pass' }, 'did not say'],
  ])('turns garbage (%j) into unknown', async (value, why) => {
    const garbage: Check = { id: 'g', title: 'g', points: 1, run: async () => value as never }
    const r = await runCheck(garbage, { env: env(), facts: {} })
    expect(r.verdict).toBe('unknown')
    expect(r.evidence.note).toContain(why)
  })

  it('keeps running the other checks when one breaks', async () => {
    const bad: Check = { id: 'x', title: 'x', points: 1, run: () => Promise.reject(new Error('no')) }
    const r = await runChecks([bad, good], { env: env(), facts: {} })
    expect(r.map((c) => c.verdict)).toEqual(['unknown', 'pass'])
  })

  it('gives checks a copy of the facts they cannot change', async () => {
    const facts = { a: { b: 1 } }
    const mutate: Check = {
      id: 'm',
      title: 'm',
      points: 1,
      async run(ctx) {
        ;(ctx.facts.a as { b: number }).b = 2
        return { verdict: 'pass', expected: '', actual: '' }
      },
    }
    await runCheck(mutate, { env: env(), facts })
    expect(facts.a.b).toBe(1)
  })

  it('only shows a hint when the check did not pass', async () => {
    const hinted = (verdict: 'pass' | 'fail'): Check => ({
      id: 'h',
      title: 'h',
      points: 1,
      run: async () => ({ verdict, expected: 'e', actual: 'a', hint: 'do this' }),
    })
    expect((await runCheck(hinted('pass'), { env: env(), facts: {} })).hint).toBeUndefined()
    expect((await runCheck(hinted('fail'), { env: env(), facts: {} })).hint).toBe('do this')
  })

  it('shares a once() result between the checks of one grading', async () => {
    let calls = 0
    const sharing: Check = {
      id: 's',
      title: 's',
      points: 1,
      async run(ctx) {
        const v = await ctx.once('k', async () => ++calls)
        return { verdict: v === 1 ? 'pass' : 'fail', expected: '1', actual: String(v) }
      },
    }
    const r = await runChecks([sharing, sharing], { env: env(), facts: {} })
    expect(r.map((c) => c.verdict)).toEqual(['pass', 'pass'])
    expect(calls).toBe(1)
    await runChecks([sharing], { env: env(), facts: {} })
    expect(calls).toBe(2)
  })
})

describe('runChecks progress', () => {
  it('says which check runs and how each ended, in order', async () => {
    const seen: string[] = []
    const failing: Check = {
      ...good,
      id: 'bad',
      title: 'fails',
      run: async () => ({ verdict: 'fail', expected: 'x', actual: 'y' }),
    }
    await runChecks([good, failing], {
      env: env(),
      facts: {},
      onProgress: (p) =>
        seen.push(`${p.index + 1}/${p.total} ${p.id} ${p.phase}${p.verdict ? ` ${p.verdict}` : ''}`),
    })
    expect(seen).toEqual([
      '1/2 good pending',
      '2/2 bad pending',
      '1/2 good running',
      '1/2 good done pass',
      '2/2 bad running',
      '2/2 bad done fail',
    ])
  })

  it('says what a waiting check waits for, with the time waited and the bound', async () => {
    const seen: string[] = []
    let tries = 0
    const waiting: Check = {
      ...good,
      id: 'w',
      budgetMs: 20_000,
      async run(ctx) {
        const ok = await ctx.waitFor(async () => (++tries === 3 ? true : undefined), 90_000, {
          what: () => `waiting for the etcd pod to be Running (try ${tries})`,
        })
        return { verdict: ok ? 'pass' : 'fail', expected: 'running', actual: String(ok) }
      },
    }
    const r = await runChecks([waiting], {
      env: env(),
      facts: {},
      onProgress: (p) =>
        seen.push(
          p.waiting
            ? `${p.phase} ${p.waiting.what} ${p.waiting.waitedMs}/${p.waiting.withinMs}`
            : `${p.phase}${p.verdict ? ` ${p.verdict}` : ''}`,
        ),
    })
    expect(r[0].verdict).toBe('pass')
    expect(seen).toEqual([
      'pending',
      'running',
      'running waiting for the etcd pod to be Running (try 1) 0/20000',
      'running waiting for the etcd pod to be Running (try 2) 2000/20000',
      'running',
      'done pass',
    ])
  })

  it('grades the same when the listener throws', async () => {
    const r = await runChecks([good], {
      env: env(),
      facts: {},
      onProgress: () => {
        throw new Error('listener broke')
      },
    })
    expect(r[0].verdict).toBe('pass')
  })
})
