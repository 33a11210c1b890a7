// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AttemptView, LabList, ProgressMap } from '../api'
import { Catalogue } from './Catalogue'

// The catalogue against a stubbed server: labs, progress and the attempts this browser started.

const LABS: LabList = {
  driver: { name: 'sim', ok: true, reason: null },
  command: 'npm start',
  labs: [
    {
      id: 'etcd-backup-restore',
      title: 'Back up etcd',
      difficulty: 'medium',
      minutes: 20,
      tags: ['etcd'],
      drivers: ['sim', 'kind'],
      summary: 'Save a snapshot with `etcdctl`.',
      runnableHere: true,
    },
    {
      id: 'etcd-inspect',
      title: 'Inspect etcd',
      difficulty: 'easy',
      minutes: 10,
      tags: [],
      drivers: ['kind'],
      runnableHere: false,
    },
  ],
  errors: [],
}

const T = Date.UTC(2026, 0, 1, 9, 0, 0)
const PROGRESS: ProgressMap = {
  'etcd-backup-restore': {
    lab: 'etcd-backup-restore',
    passed: true,
    best: { points: 100, max: 100 },
    bestMs: 754_000,
    history: [
      {
        attempt: 'a2',
        mode: 'exam',
        at: T + 5000,
        points: 100,
        max: 100,
        verdict: 'pass',
        ms: 754_000,
        final: true,
      },
      {
        attempt: 'a1',
        mode: 'practice',
        at: T,
        points: 25,
        max: 100,
        verdict: 'fail',
        ms: 61_000,
        final: false,
      },
    ],
  },
}

const stopped = {
  id: 'a2',
  lab: 'etcd-backup-restore',
  title: 'Back up etcd',
  mode: 'exam',
  state: 'submitted',
  createdAt: T - 60_000,
  readyAt: T - 50_000,
  finishedAt: T + 5000,
  deadline: T + 550_000,
  limitMs: 600_000,
  report: null,
  now: T + 10_000,
} as unknown as AttemptView

function answer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

beforeEach(() => {
  localStorage.clear()
  localStorage.setItem(
    'ckalab.recent',
    JSON.stringify([
      { token: 'tok-a2', lab: 'etcd-backup-restore', title: 'Back up etcd', mode: 'exam', startedAt: T },
    ]),
  )
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string) => {
      if (path === '/api/labs') return answer(LABS)
      if (path === '/api/progress') return answer(PROGRESS)
      if (path === '/api/attempts/tok-a2') return answer(stopped)
      return answer({ error: 'no such route' }, 404)
    }),
  )
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('Catalogue', () => {
  it('shows each lab with a passed badge, best score, history with time used, and what runs here', async () => {
    render(<Catalogue />)
    const card = await waitFor(() => {
      const el = document.querySelector<HTMLElement>('article.card[data-lab="etcd-backup-restore"]')
      if (!el?.querySelector('.history')) throw new Error('no history yet')
      return el
    })
    expect(card.dataset.passed).toBe('true')
    expect(within(card).getByText('✔ Passed')).toBeTruthy()
    expect(card.querySelector('.progress-line')?.textContent).toContain('Best 100/100 · quickest pass 12:34')
    expect(card.querySelector('.summary code, p code')?.textContent).toBe('etcdctl')
    const rows = [...card.querySelectorAll('.history tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent),
    )
    expect(rows).toEqual([
      ['exam (final)', '✔ 100/100', '12:34', 'open'],
      ['practice', '25/100', '1:01', ''],
    ])
    // The try this browser started links to its page (and so to its read-only transcript).
    expect(within(card).getByRole('link', { name: 'open' }).getAttribute('href')).toBe('/attempt/tok-a2')
    const other = document.querySelector<HTMLElement>('article.card[data-lab="etcd-inspect"]')
    expect(other?.dataset.passed).toBe('false')
    expect(
      within(other as HTMLElement).getByRole('button', { name: 'Practice: Inspect etcd' }),
    ).toHaveProperty('disabled', true)
  })

  it('lists finished attempts with the time used and a link to the read-only transcript', async () => {
    render(<Catalogue />)
    const item = await screen.findByText(/submitted/)
    const li = item.closest('li') as HTMLElement
    expect(li.textContent).toContain('submitted · 0:55 used')
    expect(within(li).getByRole('link', { name: 'read-only transcript' }).getAttribute('href')).toBe(
      '/attempt/tok-a2',
    )
  })

  it('says what Practice and Exam mean', async () => {
    render(<Catalogue />)
    const modes = screen.getByRole('region', { name: 'Practice and exam' })
    expect(modes.textContent).toMatch(/Exam.*clock keeps running/)
  })
})
