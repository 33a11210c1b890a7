import { parse } from 'just-bash'
import { describe, expect, it } from 'vitest'
import { commandText } from './command-text'

function pipelineTexts(line: string): string[] {
  const ast = parse(line)
  return ast.statements[0].pipelines[0].commands.map(commandText)
}

describe('commandText (what ps shows for each command of a pipeline)', () => {
  it('shows argv: quotes removed, assignments and redirections left out', () => {
    expect(pipelineTexts(`ps aux | LC_ALL=C grep "etc"d 2>/dev/null | awk '{print $2}'`)).toEqual([
      'ps aux',
      'grep etcd',
      'awk {print $2}',
    ])
  })

  it('shows escapes, globs, tildes and parameters as typed', () => {
    expect(pipelineTexts('ls ~/x *.yaml \\$HOME $HOME | wc -l')).toEqual([
      'ls ~/x *.yaml $HOME $HOME',
      'wc -l',
    ])
  })

  it('lists a loop or a group in a pipeline as the subshell bash', () => {
    expect(pipelineTexts('ps -ef | while read l; do echo $l; done')).toEqual(['ps -ef', 'bash'])
  })
})
