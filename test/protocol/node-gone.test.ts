import { afterEach, describe, expect, it } from 'vitest'
import { NodeGoneError } from '../../simulator/src/seam'
import { FakeDriver, type FakeEnvironment } from '../../simulator/src/server/testing/fakes'
import { type Harness, startHarness, waitFor } from './harness'

// A node that goes away under a ready attempt (a kind node container killed):
// the attempt ends as failed with the driver's reason and its environment is
// removed, instead of leaving a terminal that never answers.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

function nodeGone(name: string): Error {
  return new NodeGoneError(
    name,
    `node ${name} is not available (container is not running); reset the attempt to get a new cluster`,
  )
}

describe('a node that goes away mid-lab', () => {
  it('breaks the attempt when the shell ends because its node is gone, and a reset brings a new one', async () => {
    const driver = new FakeDriver()
    h = await startHarness({ driver })
    const token = await h.startAttempt()
    const t = await h.terminal(token)
    await t.waitText('root@controlplane:~# ')
    const env = driver.created[0] as FakeEnvironment
    env.nodes[0]!.exec = async () => {
      throw nodeGone('controlplane')
    }
    t.type('exit\r')
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'failed', 5000)
    const view = (await h.api('GET', `/api/attempts/${token}`)).body
    expect(view.error).toMatch(/^the lab environment broke: node controlplane is not available/)
    expect(view.readyAt).not.toBeNull()
    expect(env.disposed).toBe(true)
    expect((await t.waitClosed()).reason).toMatch(/node of this lab stopped/)
    expect((await h.api('POST', `/api/attempts/${token}/terminals/controlplane/ticket`)).status).toBe(409)

    expect((await h.api('POST', `/api/attempts/${token}/reset`)).status).toBe(202)
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'ready', 5000)
    expect(driver.created).toHaveLength(2)
  })

  it('leaves the attempt alone when a shell ends on a node that is still there', async () => {
    const driver = new FakeDriver()
    h = await startHarness({ driver })
    const token = await h.startAttempt()
    const t = await h.terminal(token)
    await t.waitText('root@controlplane:~# ')
    t.type('exit\r')
    await waitFor(() => t.frames.some((f) => f.op === 'exit'), 5000, 'the exit frame')
    await new Promise((r) => setTimeout(r, 200))
    expect((await h.api('GET', `/api/attempts/${token}`)).body.state).toBe('ready')
    expect((driver.created[0] as FakeEnvironment).disposed).toBe(false)
  })
})
