// A WebSocket that never leaves the page: the terminal connection
// (web/src/terminal/connection.ts) speaks the same binary frames to it as to
// the server's /api/terminal, and it hands them to the in-page attempt
// manager's terminal session, as the server's socket handler does.

import type { AttemptManager } from '../../../../simulator/src/server/attempts'
import { decodeFrame, ErrorCode, encodeError, encodeHello } from '../../../../simulator/src/server/protocol'
import type { SessionClient, TerminalSession } from '../../../../simulator/src/server/session'
import type { TicketBook } from '../../../../simulator/src/server/tokens'

export interface LocalTerminals {
  manager(): AttemptManager | undefined
  tickets: TicketBook
}

/** A class with the WebSocket surface the terminal connection uses. */
export function localSocketClass(local: LocalTerminals): typeof WebSocket {
  class LocalSocket {
    binaryType = 'arraybuffer'
    readyState = 0
    onopen: ((ev: Event) => void) | null = null
    onmessage: ((ev: MessageEvent) => void) | null = null
    onclose: ((ev: CloseEvent) => void) | null = null
    onerror: ((ev: Event) => void) | null = null
    private session: TerminalSession | undefined
    private readonly client: SessionClient

    constructor(readonly url: string) {
      this.client = {
        send: (frame) => this.deliver(frame),
        close: (_code, reason) => {
          this.deliver(encodeError(ErrorCode.gone, reason))
          this.close(4000, reason)
        },
      }
      setTimeout(() => {
        if (this.readyState !== 0) return
        this.readyState = 1
        this.onopen?.(new Event('open'))
      }, 0)
    }

    send(data: Uint8Array | ArrayBuffer): void {
      if (this.readyState !== 1) return
      const decoded = decodeFrame(data)
      if (!decoded.ok) {
        this.fail(decoded.message, false)
        return
      }
      const frame = decoded.frame
      if (!this.session) {
        if (frame.op !== 'hello') {
          this.fail('the first frame must be a hello carrying a ticket', true)
          return
        }
        const redeemed = local.tickets.redeem(frame.text)
        if (!redeemed.ok) {
          this.fail(redeemed.reason, true)
          return
        }
        const manager = local.manager()
        let s: TerminalSession
        try {
          if (!manager) throw new Error('ckalab is not running in this tab')
          s = manager.terminal(redeemed.ticket.attemptId, redeemed.ticket.node, {
            cols: frame.cols,
            rows: frame.rows,
          })
        } catch (err) {
          this.fail(err instanceof Error ? err.message : String(err), true)
          return
        }
        this.session = s
        this.deliver(encodeHello(frame.cols, frame.rows, redeemed.ticket.node))
        s.attach(this.client, { cols: frame.cols, rows: frame.rows }).then(
          () => {
            if (this.readyState !== 1) s.detach(this.client)
          },
          (err) => this.fail(`could not open the terminal: ${String(err)}`, true),
        )
        return
      }
      switch (frame.op) {
        case 'input':
          this.session.input(frame.data)
          return
        case 'resize':
          this.session.resize({ cols: frame.cols, rows: frame.rows })
          return
        case 'ack':
          this.session.ack(this.client, frame.bytes)
          return
        default: {
          this.fail(`a client may not send ${frame.op} frames`, false)
          return
        }
      }
    }

    close(code = 1000, reason = ''): void {
      if (this.readyState >= 2) return
      this.readyState = 3
      this.session?.detach(this.client)
      this.session = undefined
      setTimeout(() => this.onclose?.(new CloseEvent('close', { code, reason })), 0)
    }

    private fail(message: string, fatal: boolean): void {
      this.deliver(encodeError(ErrorCode.badState, message))
      if (fatal) this.close(1008, message)
    }

    private deliver(frame: Uint8Array): void {
      if (this.readyState !== 1) return
      // A copy: the session may reuse its buffers, and xterm holds on to what it writes.
      this.onmessage?.(new MessageEvent('message', { data: frame.slice().buffer }))
    }
  }
  return LocalSocket as unknown as typeof WebSocket
}
