import { describe, expect, it } from 'vitest'
import {
  chunkOutput,
  decodeFrame,
  ErrorCode,
  encodeAck,
  encodeError,
  encodeExit,
  encodeFrame,
  encodeHello,
  encodeInput,
  encodeResize,
  type Frame,
  MAX_FRAME_BYTES,
  Op,
} from './protocol'

describe('terminal protocol', () => {
  const samples: Frame[] = [
    { op: 'input', data: new TextEncoder().encode('ls -l\r') },
    { op: 'output', data: new Uint8Array([0x1b, 0x5b, 0x41, 0xe2, 0x82, 0xac]) },
    { op: 'resize', cols: 120, rows: 40 },
    { op: 'ack', bytes: 123456 },
    { op: 'hello', cols: 80, rows: 24, text: 'tkt_abc-123' },
    { op: 'exit', code: -1 },
    { op: 'error', code: ErrorCode.unauthorized, message: 'ticket expired — ask for a new one' },
  ]

  it.each(samples)('round-trips a $op frame', (frame) => {
    const decoded = decodeFrame(encodeFrame(frame))
    expect(decoded).toEqual({ ok: true, frame })
  })

  it('puts the opcode in the first byte', () => {
    expect(encodeInput('x')[0]).toBe(Op.input)
    expect(encodeResize(1, 1)[0]).toBe(Op.resize)
    expect(encodeAck(1)[0]).toBe(Op.ack)
    expect(encodeHello(1, 1, '')[0]).toBe(Op.hello)
    expect(encodeExit(0)[0]).toBe(Op.exit)
    expect(encodeError(1, '')[0]).toBe(Op.error)
  })

  it('refuses an unknown opcode', () => {
    const r = decodeFrame(new Uint8Array([0x7f, 1, 2]))
    expect(r).toMatchObject({ ok: false, code: ErrorCode.unknownOpcode })
    if (!r.ok) expect(r.message).toContain('0x7f')
  })

  it.each([
    ['empty', new Uint8Array([])],
    ['resize', new Uint8Array([Op.resize, 0, 80])],
    ['ack', new Uint8Array([Op.ack, 0])],
    ['hello', new Uint8Array([Op.hello, 0, 80, 0])],
    ['exit', new Uint8Array([Op.exit])],
    ['error', new Uint8Array([Op.error, 1])],
  ])('refuses a truncated %s frame', (_name, bytes) => {
    expect(decodeFrame(bytes)).toMatchObject({ ok: false, code: ErrorCode.truncated })
  })

  it('refuses an oversized frame', () => {
    const big = new Uint8Array(MAX_FRAME_BYTES + 1)
    big[0] = Op.input
    expect(decodeFrame(big)).toMatchObject({ ok: false, code: ErrorCode.tooLarge })
    expect(decodeFrame(big.subarray(0, MAX_FRAME_BYTES))).toMatchObject({ ok: true })
  })

  it('refuses terminal sizes out of range', () => {
    expect(decodeFrame(encodeResize(0, 24))).toMatchObject({ ok: false, code: ErrorCode.badValue })
    expect(decodeFrame(encodeResize(80, 9999))).toMatchObject({ ok: false, code: ErrorCode.badValue })
    expect(decodeFrame(encodeHello(0, 0, 't'))).toMatchObject({ ok: false, code: ErrorCode.badValue })
  })

  it('refuses a resize frame with trailing bytes', () => {
    expect(decodeFrame(new Uint8Array([Op.resize, 0, 80, 0, 24, 9]))).toMatchObject({ ok: false })
  })

  it('never throws on arbitrary input', () => {
    const inputs: unknown[] = [
      'text',
      null,
      undefined,
      42,
      {},
      new ArrayBuffer(3),
      new Uint8Array([Op.hello]),
    ]
    let seed = 7
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed
    }
    for (let i = 0; i < 2000; i++) {
      const len = next() % 24
      const b = new Uint8Array(len)
      for (let j = 0; j < len; j++) b[j] = next() & 0xff
      inputs.push(b)
    }
    for (const input of inputs) expect(() => decodeFrame(input)).not.toThrow()
    expect(decodeFrame('text')).toMatchObject({ ok: false, code: ErrorCode.badValue })
  })

  it('decodes frames that are views into a larger buffer', () => {
    const backing = new Uint8Array(16)
    backing.set(encodeResize(100, 30), 5)
    expect(decodeFrame(backing.subarray(5, 10))).toEqual({
      ok: true,
      frame: { op: 'resize', cols: 100, rows: 30 },
    })
  })

  it('splits large output into frames that fit', () => {
    const data = new Uint8Array(MAX_FRAME_BYTES * 2 + 10).fill(65)
    const frames = chunkOutput(data)
    expect(frames.length).toBe(3)
    for (const f of frames) expect(f.length).toBeLessThanOrEqual(MAX_FRAME_BYTES)
    const total = frames.reduce((n, f) => n + f.length - 1, 0)
    expect(total).toBe(data.length)
  })

  it('truncates over-long hello text when encoding', () => {
    const r = decodeFrame(encodeHello(80, 24, 'x'.repeat(1000)))
    expect(r.ok && r.frame.op === 'hello' && r.frame.text.length).toBe(256)
  })
})
