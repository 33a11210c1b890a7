import { describe, expect, it } from 'vitest'
import { workerExecArgv } from './worker-driver'

describe('workerExecArgv', () => {
  it("drops tsx's loader in each spelling and keeps the other flags", () => {
    expect(workerExecArgv(['--expose-gc', '--import', 'tsx', '--cpu-prof'])).toEqual([
      '--expose-gc',
      '--cpu-prof',
    ])
    expect(workerExecArgv(['--import=tsx', '--require', 'tsx/cjs', '--loader', 'tsx/esm'])).toEqual([])
    expect(workerExecArgv(['--import', './other.mjs', '--max-old-space-size=512'])).toEqual([
      '--import',
      './other.mjs',
      '--max-old-space-size=512',
    ])
  })
})
