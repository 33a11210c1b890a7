// The instructor's look over a learner's shoulder: a WebSocket speaking the
// terminal protocol that attaches to the learner's own terminal session as an
// observer (the learner's size is kept, the screen is replayed, then the
// stream). Keys are dropped unless the instructor has taken over, which the
// learner's page announces.

import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import type { AttemptManager } from '../attempts'
import type { Logger } from '../log'
import { decodeFrame, ErrorCode, encodeError, encodeHello, MAX_FRAME_BYTES } from '../protocol'
import type { SessionClient, TerminalSession } from '../session'
import type { ClassManager } from './classes'

export const MIRROR_PATH = '/api/class-mirror'

interface MirrorTicket {
  classId: string
  seatId: string
  attemptId: string
  node: string
  expiresAt: number
}

export class MirrorHub {
  private readonly tickets = new Map<string, MirrorTicket>()
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    perMessageDeflate: false,
  })
  private readonly sockets = new Set<WebSocket>()

  constructor(
    private readonly classes: ClassManager,
    private readonly attempts: AttemptManager,
    private readonly log: Logger,
    private readonly ttlMs = 30_000,
  ) {}

  issue(classId: string, seatId: string, node: string): { ticket: string; expiresAt: number } {
    const { attemptId } = this.classes.mirrorTarget(classId, seatId)
    const view = this.attempts.view(attemptId)
    if (view.state !== 'ready')
      throw Object.assign(new Error(`the environment is ${view.state}`), { status: 409 })
    if (!view.nodes.includes(node)) throw Object.assign(new Error(`no node named "${node}"`), { status: 404 })
    const now = Date.now()
    for (const [k, t] of this.tickets) if (t.expiresAt < now) this.tickets.delete(k)
    const ticket = randomBytes(24).toString('base64url')
    const expiresAt = now + this.ttlMs
    this.tickets.set(ticket, { classId, seatId, attemptId, node, expiresAt })
    return { ticket, expiresAt }
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handle(ws))
  }

  close(): void {
    for (const ws of this.sockets) ws.close(1001, 'the server is shutting down')
    this.wss.close()
  }

  private handle(ws: WebSocket): void {
    this.sockets.add(ws)
    let session: TerminalSession | undefined
    let ticket: MirrorTicket | undefined
    let unwatch: (() => void) | undefined
    const send = (bytes: Uint8Array) => {
      if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true })
    }
    const client: SessionClient = {
      send,
      close(code, reason) {
        send(encodeError(ErrorCode.gone, reason))
        ws.close(code === 1001 ? 1001 : 4000, reason.slice(0, 120))
      },
    }
    const fail = (code: number, message: string) => {
      send(encodeError(code, message))
      ws.close(1008, message.slice(0, 120))
    }
    const helloTimer = setTimeout(() => {
      if (!session)
        fail(ErrorCode.badState, 'no hello within 5 s; send a hello frame with a mirror ticket first')
    }, 5000)

    ws.on('message', (raw: RawData, isBinary: boolean) => {
      if (!isBinary) return fail(ErrorCode.badValue, 'text messages are not part of the terminal protocol')
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw)
      const decoded = decodeFrame(
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        MAX_FRAME_BYTES,
      )
      if (!decoded.ok) return send(encodeError(decoded.code, decoded.message))
      const frame = decoded.frame
      if (!session) {
        if (frame.op !== 'hello' || ticket)
          return fail(ErrorCode.badState, 'the first frame must be a hello with a ticket')
        const t = this.tickets.get(frame.text)
        this.tickets.delete(frame.text)
        if (!t || t.expiresAt < Date.now())
          return fail(ErrorCode.unauthorized, 'unknown, used or expired mirror ticket; ask for a new one')
        ticket = t
        let s: TerminalSession
        try {
          s = this.attempts.terminal(t.attemptId, t.node, { cols: frame.cols, rows: frame.rows })
        } catch (err) {
          return fail(ErrorCode.gone, err instanceof Error ? err.message : String(err))
        }
        clearTimeout(helloTimer)
        session = s
        unwatch = this.classes.watch(t.seatId, t.classId)
        const size = s.currentSize
        send(encodeHello(size.cols, size.rows, t.node))
        s.attach(client, size, { observe: true }).then(
          () => {
            if (ws.readyState !== ws.OPEN) s.detach(client)
          },
          (err) => fail(ErrorCode.internal, `could not open the terminal: ${String(err)}`),
        )
        return
      }
      if (frame.op === 'ack') return session.ack(client, frame.bytes)
      // The mirror never resizes the learner's terminal.
      if (frame.op === 'resize') return
      if (frame.op === 'input') {
        if (!ticket || !this.classes.isTakeover(ticket.seatId))
          return send(encodeError(ErrorCode.badState, 'the mirror is read-only; turn on takeover to type'))
        try {
          session.input(frame.data)
        } catch (err) {
          this.log.warn('mirror input failed', { seat: ticket.seatId, err: String(err) })
        }
        return
      }
      send(encodeError(ErrorCode.badState, `a client may not send ${frame.op} frames`))
    })
    ws.on('close', () => {
      clearTimeout(helloTimer)
      this.sockets.delete(ws)
      session?.detach(client)
      unwatch?.()
    })
    ws.on('error', () => {})
  }
}
