import { describe, expect, it } from 'vitest'
import type { Key } from './keys'
import { formatColumns, LineEditor } from './line-editor'

const t = (text: string): Key => ({ type: 'text', text })
const c = (key: string): Key => ({ type: 'ctrl', key })
const k = (name: Extract<Key, { type: 'key' }>['name']): Key => ({ type: 'key', name })

function editor(history: string[] = []): LineEditor {
  const e = new LineEditor(history)
  e.reset('$ ')
  return e
}

describe('LineEditor', () => {
  it('inserts, moves and deletes', () => {
    const e = editor()
    for (const key of [
      t('helo'),
      k('left'),
      t('l'),
      k('home'),
      k('delete'),
      t('H'),
      k('end'),
      k('backspace'),
      t('o!'),
    ])
      e.handle(key)
    expect(e.line).toBe('Hello!')
    expect(e.cursorIndex).toBe(6)
  })

  it('kills with Ctrl-U, Ctrl-K, Ctrl-W and yanks with Ctrl-Y', () => {
    const e = editor()
    e.handle(t('one two three'))
    e.handle(c('w'))
    expect(e.line).toBe('one two ')
    e.handle(c('y'))
    expect(e.line).toBe('one two three')
    e.handle(c('a'))
    e.handle(k('right'))
    e.handle(k('right'))
    e.handle(k('right'))
    e.handle(c('k'))
    expect(e.line).toBe('one')
    e.handle(c('u'))
    expect(e.line).toBe('')
  })

  it('submits, signals EOF only on an empty line, interrupts', () => {
    const e = editor()
    expect(e.handle(c('d'))).toEqual({ type: 'eof' })
    e.handle(t('ls'))
    expect(e.handle(c('d'))).toBeUndefined()
    expect(e.handle(c('c'))).toEqual({ type: 'interrupt', line: 'ls' })
    expect(e.handle(k('enter'))).toEqual({ type: 'submit', line: 'ls' })
    expect(e.handle(c('l'))).toEqual({ type: 'clear-screen' })
  })

  it('walks history with Up/Down and keeps the line being typed', () => {
    const e = editor(['a', 'b'])
    e.handle(t('draft'))
    e.handle(k('up'))
    expect(e.line).toBe('b')
    e.handle(k('up'))
    expect(e.line).toBe('a')
    expect(e.handle(k('up'))).toEqual({ type: 'bell' })
    e.handle(k('down'))
    e.handle(k('down'))
    expect(e.line).toBe('draft')
  })

  it('searches history backwards with Ctrl-R', () => {
    const e = editor(['etcdctl member list', 'ls', 'etcdctl endpoint status'])
    e.handle(c('r'))
    e.handle(t('etcd'))
    expect(e.view().prompt).toBe("(reverse-i-search)`etcd': ")
    expect(e.line).toBe('etcdctl endpoint status')
    e.handle(c('r'))
    expect(e.line).toBe('etcdctl member list')
    e.handle(t('x'))
    expect(e.view().prompt).toBe("(failed reverse-i-search)`etcdx': ")
    e.handle(k('backspace'))
    expect(e.handle(k('enter'))).toEqual({ type: 'submit', line: 'etcdctl endpoint status' })
  })

  it('completes a single match, a common prefix, and lists on the second Tab', () => {
    const e = editor()
    e.handle(t('cat /etc/kub'))
    expect(e.handle(k('tab'))).toMatchObject({ type: 'complete', listing: false })
    expect(
      e.applyCompletion({ start: 4, candidates: [{ value: '/etc/kubernetes', dir: true }] }, false),
    ).toEqual({})
    expect(e.line).toBe('cat /etc/kubernetes/')
    e.handle(t('ma'))
    const many = {
      start: 4,
      candidates: [{ value: '/etc/kubernetes/manifests-a' }, { value: '/etc/kubernetes/manifests-b' }],
    }
    e.handle(k('tab'))
    expect(e.applyCompletion(many, false)).toEqual({ bell: true })
    expect(e.line).toBe('cat /etc/kubernetes/manifests-')
    expect(e.handle(k('tab'))).toMatchObject({ listing: true })
    expect(e.applyCompletion(many, true).list).toEqual([
      '/etc/kubernetes/manifests-a',
      '/etc/kubernetes/manifests-b',
    ])
  })

  it('escapes spaces in completed words and lays out listings in columns', () => {
    const e = editor()
    e.handle(t('cat my'))
    e.applyCompletion({ start: 4, candidates: [{ value: 'my file' }] }, false)
    expect(e.line).toBe('cat my\\ file ')
    expect(formatColumns(['a', 'bb', 'ccc', 'd'], 10)).toBe('a    ccc\nbb   d\n')
  })
})
