import { describe, expect, it } from 'vitest'
import { createLogger, textLine } from './log'

describe('logs', () => {
  it('writes one readable line per entry in text format', () => {
    const lines: string[] = []
    const log = createLogger('info', (l) => lines.push(l), 'text')
    log.debug('hidden')
    log.info('attempt started', { attempt: 'ab12', lab: 'etcd-inspect' })
    log.warn('saving failed', { err: new Error('disk full') })
    expect(lines).toEqual([
      'ckalab: attempt started (attempt=ab12, lab=etcd-inspect)\n',
      'ckalab: warning: saving failed (err=disk full)\n',
    ])
  })

  it('keeps one JSON object per line in json format', () => {
    const lines: string[] = []
    createLogger('info', (l) => lines.push(l), 'json').error('boom', { n: 1 })
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', msg: 'boom', n: 1 })
  })

  it('shows objects compactly', () => {
    expect(textLine('error', 'x', { a: { b: 1 } })).toBe('ckalab: error: x (a={"b":1})\n')
  })
})
