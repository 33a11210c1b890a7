import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ClassStore } from './class-store'
import { ensureInstructorKey, instructorUrl, seatSecret, verifyInstructorKey } from './instructor-key'

describe('instructor key', () => {
  it('is made once, stored only as a hash, and rotates', () => {
    const db = new Database(':memory:')
    const store = new ClassStore(db)
    const key = ensureInstructorKey(store)
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(ensureInstructorKey(store)).toBeUndefined()
    const dump = JSON.stringify(db.prepare('SELECT * FROM class_meta').all())
    expect(dump).not.toContain(key)
    expect(verifyInstructorKey(store, key)).toBe(true)
    expect(verifyInstructorKey(store, `${key}x`)).toBe(false)
    expect(verifyInstructorKey(store, undefined)).toBe(false)
    const next = ensureInstructorKey(store, true)!
    expect(next).not.toBe(key)
    expect(verifyInstructorKey(store, key)).toBe(false)
    expect(verifyInstructorKey(store, next)).toBe(true)
    expect(instructorUrl('http://h:1/', next)).toBe(`http://h:1/instructor#key=${next}`)
  })

  it('keeps one seat secret', () => {
    const store = new ClassStore(new Database(':memory:'))
    expect(seatSecret(store).equals(seatSecret(store))).toBe(true)
    expect(seatSecret(store).length).toBe(32)
  })
})
