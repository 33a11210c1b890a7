// An attempt as one file: what the browser edition's "Export" writes and
// "Import" reads, and what `ckalab grade --from-file` grades. JSON with the
// attempt's record (row, events, reports, screens) and the simulated
// environment's saved state in base64, each with a SHA-256 so a damaged file
// is refused with a reason instead of graded wrongly. Free of Node.

import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { base64ToBytes, bytesToBase64 } from '../sim/base64'
import type { Report } from './ports'
import type { AttemptRow, EventRow, ScreenRow } from './store-types'

export const ATTEMPT_FILE_FORMAT = 'ckalab-attempt'
export const ATTEMPT_FILE_VERSION = 1

/** One attempt as the browser edition stores it. */
export interface AttemptRecord {
  id: string
  /** The capability that opens the attempt page. */
  token: string
  row: AttemptRow
  events: EventRow[]
  reports: { at: number; final: boolean; report: Report; sum: string }[]
  screens: (ScreenRow & { sum: string })[]
}

/** The simulated environment's saved state. */
export interface EnvRecord {
  id: string
  at: number
  bytes: Uint8Array
  sum: string
}

export class AttemptFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AttemptFileError'
  }
}

export function checksum(data: Uint8Array | string): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data))
}

export function encodeAttemptFile(
  record: AttemptRecord,
  env: EnvRecord | undefined,
  now = new Date(),
): string {
  return `${JSON.stringify({
    format: ATTEMPT_FILE_FORMAT,
    version: ATTEMPT_FILE_VERSION,
    exportedAt: now.toISOString(),
    lab: record.row.lab,
    attempt: record,
    environment: env ? { at: env.at, sum: env.sum, base64: bytesToBase64(env.bytes) } : null,
  })}\n`
}

/** The file name an export suggests: lab, attempt id and date. */
export function attemptFileName(record: AttemptRecord, now = new Date()): string {
  return `ckalab-${record.row.lab}-${record.id.slice(0, 8)}-${now.toISOString().slice(0, 10)}.json`
}

/** Reads an attempt file; throws AttemptFileError saying what is wrong with it. */
export function parseAttemptFile(text: string): { record: AttemptRecord; env: EnvRecord | undefined } {
  let data: any
  try {
    data = JSON.parse(text)
  } catch {
    throw new AttemptFileError('this file is not an exported ckalab attempt (it is not JSON)')
  }
  if (!data || data.format !== ATTEMPT_FILE_FORMAT)
    throw new AttemptFileError('this file is not an exported ckalab attempt (no "format": "ckalab-attempt")')
  if (data.version !== ATTEMPT_FILE_VERSION)
    throw new AttemptFileError(
      `this attempt file has version ${data.version}; this ckalab reads version ${ATTEMPT_FILE_VERSION}, so upgrade ckalab`,
    )
  const a = data.attempt
  if (
    !a ||
    typeof a.id !== 'string' ||
    typeof a.token !== 'string' ||
    !a.row ||
    a.row.id !== a.id ||
    typeof a.row.lab !== 'string' ||
    !Array.isArray(a.events) ||
    !Array.isArray(a.reports) ||
    !Array.isArray(a.screens)
  )
    throw new AttemptFileError(
      'the attempt in this file is incomplete (its id, row, events, reports or screens are missing)',
    )
  let env: EnvRecord | undefined
  if (data.environment) {
    const e = data.environment
    let bytes: Uint8Array
    try {
      bytes = base64ToBytes(String(e.base64))
    } catch {
      throw new AttemptFileError('the saved environment in this file is damaged (not base64)')
    }
    if (checksum(bytes) !== e.sum)
      throw new AttemptFileError(
        'the saved environment in this file is damaged (its checksum does not match)',
      )
    env = { id: a.id, at: Number(e.at) || 0, bytes, sum: e.sum }
  }
  return { record: a as AttemptRecord, env }
}
