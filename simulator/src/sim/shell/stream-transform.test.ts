import { parse, serialize } from 'just-bash'
import { describe, expect, it } from 'vitest'
import { PIPELINE_MARKER, rewriteForStreaming, TTY_MARKER, YIELD_PATH } from './stream-transform'

const TTY = '/dev/pts/0'
const rw = (line: string) => serialize(rewriteForStreaming(parse(line), { ttyPath: TTY }))
const y = `255>> ${YIELD_PATH}`

describe('rewriteForStreaming', () => {
  it('sends each command at the terminal there, before its own redirections', () => {
    expect(rw('echo a; ls /x 2>/dev/null')).toBe(
      `echo a &>> ${TTY}\n${TTY_MARKER}=1 ls /x &>> ${TTY} 2> /dev/null`,
    )
  })

  it('marks which streams of ckalab commands are the terminal', () => {
    expect(rw('kubectl get pods -w')).toContain(`${TTY_MARKER}=12m kubectl`)
    expect(rw('etcdctl get k 2>/dev/null')).toContain(`${TTY_MARKER}=1 etcdctl`)
    expect(rw('etcdctl get k >/tmp/x')).toContain(`${TTY_MARKER}=2 etcdctl`)
    expect(rw('etcdctl get k >/tmp/x 2>&1')).toContain(`${TTY_MARKER}=m etcdctl`)
    expect(rw('etcdctl get k &>/tmp/x')).toContain(`${TTY_MARKER}=m etcdctl`)
    expect(rw('etcdctl get k 2>&1 >/dev/null')).toContain(`${TTY_MARKER}=2 etcdctl`)
    // Both streams into one place: the command hands them over as one, in the order written.
    expect(rw('x=$(etcdctl snapshot save s.db 2>&1)')).toContain(`${TTY_MARKER}=m etcdctl`)
    const first = (line: string) => rw(line).split(' | ')[0] as string
    expect(first('etcdctl snapshot save s.db 2>&1 | tail -1')).toMatch(
      /^__CKALAB_TTY=m __CKALAB_PIPE=(?:\\.|\S)+ etcdctl/,
    )
    expect(first('etcdctl snapshot save s.db |& tail -1')).toMatch(
      /^__CKALAB_TTY=m __CKALAB_PIPE=(?:\\.|\S)+ etcdctl/,
    )
    // An early stage of a pipeline is marked as not at the terminal (an empty marker).
    expect(first('etcdctl snapshot save s.db | tail -1')).toMatch(
      /^__CKALAB_TTY= __CKALAB_PIPE=(?:\\.|\S)+ etcdctl/,
    )
    // Builtins never get the marker (export -p would show it).
    expect(rw('export -p')).not.toContain(TTY_MARKER)
  })

  it('leaves pipelines but their last command, substitutions and redirected blocks alone', () => {
    const piped = rw('kubectl get pods -w | grep etcd')
    expect(piped).toMatch(/^__CKALAB_TTY= __CKALAB_PIPE=(?:\\.|\S)+ kubectl get pods -w \| /)
    expect(piped).toMatch(/ \| __CKALAB_TTY=12m __CKALAB_PIPE=(?:\\.|\S)+ grep etcd &>> \/dev\/pts\/0/)
    expect(rw('x=$(kubectl get pods)')).not.toContain(TTY)
    // Inside $(…) a ckalab command carries its own empty marker, so the marker of the command
    // whose words hold the $(…) (which just-bash lets through) cannot send it to the terminal.
    expect(rw('etcdutl snapshot restore s.db --name $(hostname)')).toContain(`$(${TTY_MARKER}= hostname)`)
    expect(rw('{ echo a; echo b; } > /tmp/f')).not.toContain(TTY)
    expect(rw('exec 2>&1')).not.toContain(TTY)
  })

  it('reaches into loops, ifs and groups at the terminal, and yields once per iteration', () => {
    const loop = rw('while true; do kubectl get pods; sleep 2; done')
    // `true` writes nothing: only the yield.
    expect(loop).toContain(`while true ${y}; do`)
    expect(loop).toContain(`${TTY_MARKER}=12m kubectl get pods &>> ${TTY}`)
    expect(loop).toContain(`${TTY_MARKER}=12m sleep 2 &>> ${TTY}`)
    // A command sent to the terminal yields as it writes there: no second redirection.
    expect(rw('for i in 1 2; do echo $i; done')).toContain(`echo $i &>> ${TTY}\n`)
    expect(rw('for i in 1 2; do echo $i; done')).not.toContain(y)
    expect(rw('for i in 1 2; do x=$i; done')).toContain(`x=$i ${y}`)
    expect(rw('if true; then echo y; fi')).toContain(`echo y &>> ${TTY}`)
    expect(rw('f() { echo a; }')).toContain(`} ${y}`)
    expect(rw('f() { echo a; }')).not.toContain(TTY)
  })

  it('gives each ckalab command of a pipeline the pipeline as typed', () => {
    const ast = rewriteForStreaming(parse('ps aux | grep "etcd --data"'), { ttyPath: TTY })
    const commands = ast.statements[0]?.pipelines[0]?.commands ?? []
    const values = commands.map((c) => {
      const a = c.type === 'SimpleCommand' ? c.assignments.find((x) => x.name === PIPELINE_MARKER) : undefined
      const part = a?.value?.parts[0] as { value?: string } | undefined
      return part?.value ? JSON.parse(part.value) : undefined
    })
    expect(values).toEqual([
      ['ps aux', 'grep etcd --data'],
      ['ps aux', 'grep etcd --data'],
    ])
    expect(rw('ps aux')).not.toContain(PIPELINE_MARKER)
  })

  it('adds only the yields when nobody is at a terminal', () => {
    const line = serialize(rewriteForStreaming(parse('while :; do echo y; done | tail -1')))
    expect(line).not.toContain('/dev/pts')
    expect(line).toContain(y)
  })
})
