// A class's optional webhook: its events (joined, started, check-changed,
// submitted, ended) posted as JSON to the instructor's URL, signed with
// HMAC-SHA256 under the class's webhook secret (shown once, when the class is
// made) in `x-ckalab-signature: sha256=<hex>`. Events of one class go out in
// order; a failing receiver is retried twice and then logged, never blocking the class.

import { createHmac, randomBytes } from 'node:crypto'
import type { Logger } from '../log'

export type WebhookEventType = 'joined' | 'started' | 'check-changed' | 'submitted' | 'ended'

export interface WebhookEvent {
  type: WebhookEventType
  class: string
  at: string
  data: Record<string, unknown>
}

export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url')
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** An http(s) URL, or an error message saying what is wrong with it. */
export function checkWebhookUrl(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'the webhook is not a URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'the webhook must be an http or https URL'
  if (value.length > 500) return 'the webhook URL is longer than 500 characters'
  return undefined
}

export class WebhookSender {
  private readonly queues = new Map<string, Promise<void>>()

  constructor(
    private readonly log: Logger,
    private readonly o: { timeoutMs?: number; retryMs?: number } = {},
  ) {}

  send(url: string, secret: string, event: WebhookEvent): Promise<void> {
    const previous = this.queues.get(event.class) ?? Promise.resolve()
    const next = previous.then(() => this.deliver(url, secret, event))
    this.queues.set(event.class, next)
    return next
  }

  private async deliver(url: string, secret: string, event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event)
    let last = ''
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-ckalab-event': event.type,
            'x-ckalab-signature': signature(secret, body),
          },
          body,
          signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
        })
        if (res.ok) return
        last = `answered ${res.status}`
      } catch (err) {
        last = err instanceof Error ? err.message : String(err)
      }
      await new Promise((r) => setTimeout(r, (this.o.retryMs ?? 1000) * (attempt + 1)))
    }
    // The URL's host only: its path or query may carry the receiver's own secret.
    this.log.warn('a class webhook could not be delivered', {
      class: event.class,
      event: event.type,
      host: new URL(url).host,
      why: last,
    })
  }
}
