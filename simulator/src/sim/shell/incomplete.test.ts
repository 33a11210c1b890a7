import { describe, expect, it } from 'vitest'
import { judgeInput, openHeredocs } from './incomplete'

describe('judgeInput', () => {
  it.each([
    'if true; then',
    'for i in 1 2; do',
    'while true',
    'f() {',
    'echo "abc',
    "echo 'a",
    'echo a \\',
    'cat <<EOF\nabc',
    "cat <<'END'\n$x",
    'echo a &&',
    'ls |',
    'case x in',
  ])('asks for more after %j', (text) => {
    expect(judgeInput(text).kind).toBe('incomplete')
  })

  it.each([
    'echo hi',
    'if true; then\necho a\nfi',
    'cat <<EOF\nabc\nEOF',
    'cat <<-EOF\n\tabc\n\tEOF',
    "echo '<<EOF'",
    'echo a # <<EOF',
  ])('runs %j', (text) => {
    expect(judgeInput(text).kind).toBe('complete')
  })

  it('reports a stray keyword like bash', () => {
    expect(judgeInput('fi')).toEqual({
      kind: 'error',
      message: "bash: syntax error near unexpected token `fi'",
    })
    expect(judgeInput('done')).toMatchObject({ kind: 'error' })
  })

  it('tracks several heredocs on one line', () => {
    expect(openHeredocs('cat <<A <<B\n1\nA\n2')).toEqual(['B'])
  })
})
