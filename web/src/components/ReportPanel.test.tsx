// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Report } from '../api'
import { commandText, ReportPanel } from './ReportPanel'

afterEach(cleanup)

const report: Report = {
  schema: 'ckalab.report/v1',
  lab: 'etcd-backup-restore',
  driver: 'sim',
  profile: { kubernetes: 'v1.34.0', etcd: '3.6.4' },
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:01Z',
  score: { points: 25, max: 45 },
  verdict: 'fail',
  checks: [
    {
      id: 'snapshot-saved',
      title: 'A snapshot is saved at `/opt/backup/etcd-snapshot.db`',
      points: 25,
      verdict: 'pass',
      evidence: { expected: 'a snapshot', actual: 'snapshot at revision 7', commands: [] },
      hint: 'never shown for a pass',
      durationMs: 3,
    },
    {
      id: 'etcd-uses-restored-data',
      title: 'etcd runs on the restored data',
      points: 20,
      verdict: 'fail',
      evidence: {
        expected: 'the hostPath is `/var/lib/etcd-from-backup`',
        actual: "etcd's --data-dir /var/lib/etcd is the node directory /var/lib/etcd",
        commands: [
          { node: 'cp', command: 'crictl ps -q', exitCode: 0, stdout: 'abc\n', stderr: '', durationMs: 1 },
        ],
      },
      hint: 'Change the `hostPath` of the etcd-data volume.',
      durationMs: 4,
    },
  ],
}

describe('ReportPanel', () => {
  it('shows the score, each check with points, evidence, and a hint only where it failed', () => {
    render(<ReportPanel report={report} final={false} downloads={{ json: '/r.json', junit: '/r.xml' }} />)
    expect(screen.getByRole('heading').textContent).toBe(
      'Your work so far: 25/45 points · 1 of 2 checks passed',
    )
    const pass = document.querySelector('li[data-check="snapshot-saved"]')
    const fail = document.querySelector('li[data-check="etcd-uses-restored-data"]')
    expect(pass?.querySelector('.points')?.textContent).toBe('25/25')
    expect(fail?.querySelector('.points')?.textContent).toBe('0/20')
    expect(pass?.querySelector('.hint')).toBeNull()
    expect(fail?.querySelector('.hint code')?.textContent).toBe('hostPath')
    // Tool output stays as it is; lab text with backticks is markdown.
    expect(fail?.querySelector('.found')?.textContent).toContain('--data-dir /var/lib/etcd')
    expect(fail?.querySelector('dd code')?.textContent).toBe('/var/lib/etcd-from-backup')
    expect(screen.getByText('Commands the check ran (1)')).toBeTruthy()
    expect(screen.getByRole('link', { name: 'JSON' }).getAttribute('href')).toBe('/r.json')
    expect(screen.queryByRole('button', { name: 'Retry this exam' })).toBeNull()
  })

  it('gives a final report the time used, the discarded tries and a retry', () => {
    const onRetry = vi.fn()
    render(
      <ReportPanel
        report={report}
        final
        downloads={{ json: '/r.json', junit: '/r.xml' }}
        timeUsedMs={754_000}
        discarded={2}
        onRetry={onRetry}
      />,
    )
    expect(screen.getByRole('heading').textContent).toMatch(/^Final report/)
    expect(screen.getByTestId('time-used').textContent).toBe('12:34')
    expect(document.querySelector('.time-used')?.textContent).toContain('2 earlier tries were reset')
    fireEvent.click(screen.getByRole('button', { name: 'Retry this exam' }))
    expect(onRetry).toHaveBeenCalledOnce()
  })

  it('prints a command as the learner would have typed it, with its output', () => {
    expect(
      commandText({
        node: 'cp',
        command: 'ls /x',
        exitCode: 2,
        stdout: '',
        stderr: 'ls: no\n',
        durationMs: 1,
      }),
    ).toBe('$ ls /x   # on cp, exit 2\nls: no')
  })
})
