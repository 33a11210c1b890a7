// Codes people read aloud or type from a projector: no 0/O, 1/I/L, 2/Z, 5/S,
// 8/B or U/V, so a misread character is not another valid code.

import { randomInt } from 'node:crypto'

export const CODE_ALPHABET = '34679ACDEFGHJKMNPQRTWXY'

function randomCode(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return out
}

/** A class's join code: 6 characters (23^6 ≈ 148 million codes; guessing is rate-limited). */
export function newJoinCode(): string {
  return randomCode(6)
}

/** A seat's recovery code, shown to the learner once: 4 groups of 5 (about 90 bits). */
export function newRecoveryCode(): string {
  return [0, 1, 2, 3].map(() => randomCode(5)).join('-')
}

/**
 * What a person typed, in canonical form: upper case, spaces and dashes
 * dropped, look-alike letters read as the character they resemble.
 */
export function normalizeCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/[O]/g, '0').replace(/[IL]/g, '1')
}

/** True when the text can be a join code (after normalizing). */
export function isJoinCode(code: string): boolean {
  return new RegExp(`^[${CODE_ALPHABET}]{6}$`).test(code)
}
