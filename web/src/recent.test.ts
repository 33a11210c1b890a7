import { describe, expect, it } from 'vitest'
import { addRecent, parseRecent, type RecentAttempt, removeRecent } from './recent'

const r = (token: string): RecentAttempt => ({ token, lab: 'l', title: 'L', mode: 'practice', startedAt: 1 })

describe('recent attempts', () => {
  it('puts the newest first without duplicates and caps the list', () => {
    let list: RecentAttempt[] = []
    for (let i = 0; i < 12; i++) list = addRecent(list, r(`t${i}`))
    list = addRecent(list, r('t5'))
    expect(list[0].token).toBe('t5')
    expect(list.filter((x) => x.token === 't5')).toHaveLength(1)
    expect(list.length).toBe(8)
    expect(removeRecent(list, 't5').some((x) => x.token === 't5')).toBe(false)
  })

  it('ignores corrupt storage', () => {
    expect(parseRecent(null)).toEqual([])
    expect(parseRecent('{')).toEqual([])
    expect(parseRecent('{"a":1}')).toEqual([])
    expect(parseRecent('[{"token":1},{"token":"x","lab":"y"}]')).toHaveLength(1)
  })
})
