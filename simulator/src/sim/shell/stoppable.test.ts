import { describe, expect, it } from 'vitest'
import { runsAProgram } from './stoppable'

describe('runsAProgram', () => {
  it('tells lines of builtins (which Ctrl-Z cannot stop) from lines that run programs', () => {
    expect(runsAProgram('while :; do :; done')).toBe(false)
    expect(runsAProgram('for i in 1 2; do echo $i; done')).toBe(false)
    expect(runsAProgram('while true; do sleep 1; done')).toBe(true)
    expect(runsAProgram('kubectl get pods -w | grep etcd')).toBe(true)
    expect(runsAProgram('echo $(date)')).toBe(true)
    expect(runsAProgram('$CMD')).toBe(true)
  })
})
