// The terminal wire protocol: one WebSocket per terminal, binary frames both
// ways, the first byte an opcode. Pure code with no Node-only imports, so the
// browser client and the server share one encoder/decoder.
//
//   INPUT  0x01  bytes                       client → server (keystrokes)
//   OUTPUT 0x02  bytes                       server → client (batched ANSI output)
//   RESIZE 0x03  u16 cols, u16 rows          client → server
//   ACK    0x04  u32 bytes                   client → server (output written by xterm)
//   HELLO  0x05  u16 cols, u16 rows, utf8    client: ticket; server: session name
//   EXIT   0x06  i32 code                    server → client (the shell ended)
//   ERROR  0x07  u16 code, utf8 message      both ways
//
// Integers are big-endian. The decoder never throws: a bad frame comes back as
// an error the caller can send to the peer as an ERROR frame.

export const Op = {
  input: 0x01,
  output: 0x02,
  resize: 0x03,
  ack: 0x04,
  hello: 0x05,
  exit: 0x06,
  error: 0x07,
} as const

/** Largest frame either side accepts (opcode byte included). */
export const MAX_FRAME_BYTES = 64 * 1024
/** Terminal sizes outside these bounds are refused rather than clamped silently. */
export const MAX_COLS = 1000
export const MAX_ROWS = 500
/** Tickets and session names are short ASCII tokens. */
export const MAX_TEXT_BYTES = 256

export const ErrorCode = {
  unknownOpcode: 1,
  truncated: 2,
  tooLarge: 3,
  unauthorized: 4,
  badState: 5,
  badValue: 6,
  internal: 7,
  gone: 8,
  /** Input not taken: the terminal already holds as much as it queues. Not fatal; the client shows it. */
  inputRefused: 9,
} as const
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]

export type Frame =
  | { op: 'input'; data: Uint8Array }
  | { op: 'output'; data: Uint8Array }
  | { op: 'resize'; cols: number; rows: number }
  | { op: 'ack'; bytes: number }
  | { op: 'hello'; cols: number; rows: number; text: string }
  | { op: 'exit'; code: number }
  | { op: 'error'; code: number; message: string }

export type Decoded = { ok: true; frame: Frame } | { ok: false; code: ErrorCodeValue; message: string }

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })

function header(op: number, size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(1 + size)
  bytes[0] = op
  return { bytes, view: new DataView(bytes.buffer) }
}

function clampText(text: string, max: number): Uint8Array {
  const raw = encoder.encode(text)
  return raw.length <= max ? raw : raw.subarray(0, max)
}

export function encodeInput(data: Uint8Array | string): Uint8Array {
  const raw = typeof data === 'string' ? encoder.encode(data) : data
  const { bytes } = header(Op.input, raw.length)
  bytes.set(raw, 1)
  return bytes
}

export function encodeOutput(data: Uint8Array): Uint8Array {
  const { bytes } = header(Op.output, data.length)
  bytes.set(data, 1)
  return bytes
}

export function encodeResize(cols: number, rows: number): Uint8Array {
  const { bytes, view } = header(Op.resize, 4)
  view.setUint16(1, cols)
  view.setUint16(3, rows)
  return bytes
}

export function encodeAck(count: number): Uint8Array {
  const { bytes, view } = header(Op.ack, 4)
  view.setUint32(1, Math.max(0, Math.min(0xffffffff, Math.floor(count))))
  return bytes
}

export function encodeHello(cols: number, rows: number, text: string): Uint8Array {
  const raw = clampText(text, MAX_TEXT_BYTES)
  const { bytes, view } = header(Op.hello, 4 + raw.length)
  view.setUint16(1, cols)
  view.setUint16(3, rows)
  bytes.set(raw, 5)
  return bytes
}

export function encodeExit(code: number): Uint8Array {
  const { bytes, view } = header(Op.exit, 4)
  view.setInt32(1, code | 0)
  return bytes
}

export function encodeError(code: number, message: string): Uint8Array {
  const raw = clampText(message, 1024)
  const { bytes, view } = header(Op.error, 2 + raw.length)
  view.setUint16(1, code)
  bytes.set(raw, 3)
  return bytes
}

export function encodeFrame(frame: Frame): Uint8Array {
  switch (frame.op) {
    case 'input':
      return encodeInput(frame.data)
    case 'output':
      return encodeOutput(frame.data)
    case 'resize':
      return encodeResize(frame.cols, frame.rows)
    case 'ack':
      return encodeAck(frame.bytes)
    case 'hello':
      return encodeHello(frame.cols, frame.rows, frame.text)
    case 'exit':
      return encodeExit(frame.code)
    case 'error':
      return encodeError(frame.code, frame.message)
  }
}

function fail(code: ErrorCodeValue, message: string): Decoded {
  return { ok: false, code, message }
}

function validSize(cols: number, rows: number): boolean {
  return cols >= 1 && rows >= 1 && cols <= MAX_COLS && rows <= MAX_ROWS
}

/** Accepts anything a socket can deliver; never throws. */
export function decodeFrame(input: Uint8Array | ArrayBuffer | unknown, maxBytes = MAX_FRAME_BYTES): Decoded {
  let bytes: Uint8Array
  if (input instanceof Uint8Array) bytes = input
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input)
  else return fail(ErrorCode.badValue, 'expected a binary frame; text messages are not part of the protocol')
  if (bytes.length === 0)
    return fail(ErrorCode.truncated, 'empty frame: every frame starts with an opcode byte')
  if (bytes.length > maxBytes)
    return fail(ErrorCode.tooLarge, `frame of ${bytes.length} bytes exceeds the ${maxBytes}-byte limit`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const op = bytes[0]
  const body = bytes.length - 1
  const need = (n: number, name: string): Decoded | undefined =>
    body < n ? fail(ErrorCode.truncated, `truncated ${name} frame: ${body} of ${n} payload bytes`) : undefined
  switch (op) {
    case Op.input:
      return { ok: true, frame: { op: 'input', data: bytes.subarray(1) } }
    case Op.output:
      return { ok: true, frame: { op: 'output', data: bytes.subarray(1) } }
    case Op.resize: {
      const bad = need(4, 'resize')
      if (bad) return bad
      if (body !== 4) return fail(ErrorCode.badValue, `resize frame must carry exactly 4 bytes, got ${body}`)
      const cols = view.getUint16(1)
      const rows = view.getUint16(3)
      if (!validSize(cols, rows))
        return fail(ErrorCode.badValue, `terminal size ${cols}x${rows} is out of range`)
      return { ok: true, frame: { op: 'resize', cols, rows } }
    }
    case Op.ack: {
      const bad = need(4, 'ack')
      if (bad) return bad
      return { ok: true, frame: { op: 'ack', bytes: view.getUint32(1) } }
    }
    case Op.hello: {
      const bad = need(4, 'hello')
      if (bad) return bad
      const cols = view.getUint16(1)
      const rows = view.getUint16(3)
      if (!validSize(cols, rows))
        return fail(ErrorCode.badValue, `terminal size ${cols}x${rows} is out of range`)
      if (body - 4 > MAX_TEXT_BYTES) return fail(ErrorCode.tooLarge, 'hello text is longer than 256 bytes')
      return { ok: true, frame: { op: 'hello', cols, rows, text: decoder.decode(bytes.subarray(5)) } }
    }
    case Op.exit: {
      const bad = need(4, 'exit')
      if (bad) return bad
      return { ok: true, frame: { op: 'exit', code: view.getInt32(1) } }
    }
    case Op.error: {
      const bad = need(2, 'error')
      if (bad) return bad
      return {
        ok: true,
        frame: { op: 'error', code: view.getUint16(1), message: decoder.decode(bytes.subarray(3)) },
      }
    }
    default:
      return fail(ErrorCode.unknownOpcode, `unknown opcode 0x${op.toString(16).padStart(2, '0')}`)
  }
}

/** Splits output larger than one frame into frames that fit. */
export function chunkOutput(data: Uint8Array, maxFrame = MAX_FRAME_BYTES): Uint8Array[] {
  const room = maxFrame - 1
  if (data.length <= room) return [encodeOutput(data)]
  const frames: Uint8Array[] = []
  for (let i = 0; i < data.length; i += room) frames.push(encodeOutput(data.subarray(i, i + room)))
  return frames
}
