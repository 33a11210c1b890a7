import type { CommandNode, WordNode } from 'just-bash'

type WordPart = WordNode['parts'][number]

// The text of one command of a pipeline as `ps` shows it: its argv, so quotes
// are removed and assignments and redirections left out (neither reaches argv);
// expansions are shown as typed, since the pipeline is named before it runs.
// just-bash's own serializer exists only in its Node build, and the simulator
// also runs in a browser, so this small renderer covers what `ps` needs; a
// compound command (a loop or a group in a pipeline) runs in a subshell, which
// `ps` lists as `bash`.

export function commandText(c: CommandNode): string {
  if (c.type !== 'SimpleCommand') return 'bash'
  return [...(c.name ? [c.name] : []), ...c.args].map(wordText).join(' ')
}

function wordText(w: WordNode): string {
  return w.parts.map(partText).join('')
}

function partText(p: WordPart): string {
  switch (p.type) {
    case 'Literal':
      return p.value
    case 'SingleQuoted':
      return p.value
    case 'DoubleQuoted':
      return p.parts.map(partText).join('')
    case 'Escaped':
      return p.value
    case 'ParameterExpansion':
      return p.operation ? `\${${p.parameter}…}` : `$${p.parameter}`
    case 'TildeExpansion':
      return `~${p.user ?? ''}`
    case 'Glob':
      return p.pattern
    case 'CommandSubstitution':
      return '$(…)'
    case 'ArithmeticExpansion':
      return '$((…))'
    default:
      return ''
  }
}
