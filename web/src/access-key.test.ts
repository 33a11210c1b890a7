import { describe, expect, it } from 'vitest'
import { keyCookie, takeKey } from './access-key'

describe('the access key in the address', () => {
  it('takes the key out and keeps the rest of the address', () => {
    expect(takeKey('http://192.0.2.7:4173/?key=abc%2Bd#/labs/x')).toEqual({
      key: 'abc+d',
      clean: '/#/labs/x',
    })
    expect(takeKey('http://h:1/attempt?key=k&tab=2')).toEqual({ key: 'k', clean: '/attempt?tab=2' })
    expect(takeKey('http://h:1/')).toBeUndefined()
  })

  it('stores it in a same-site cookie, secure over https', () => {
    expect(keyCookie('a+b', false)).toBe('ckalab_key=a%2Bb; Path=/; SameSite=Strict; Max-Age=31536000')
    expect(keyCookie('k', true)).toMatch(/; Secure$/)
  })
})
