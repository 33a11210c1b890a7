// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { GradingProgress, waitingText } from './GradingProgress'

afterEach(cleanup)

describe('GradingProgress', () => {
  it('shows every check with its state and what a waiting check waits for', () => {
    render(
      <GradingProgress
        grading={{
          startedAt: 0,
          final: false,
          checks: [
            { id: 'a', title: 'A snapshot at `/opt/backup`', state: 'pass' },
            { id: 'b', title: 'Restored', state: 'fail' },
            {
              id: 'c',
              title: 'etcd runs',
              state: 'running',
              waiting: { what: 'waiting for the etcd pod to be Running', waitedMs: 12_000, withinMs: 30_000 },
            },
            { id: 'd', title: 'Healthy', state: 'pending' },
          ],
        }}
      />,
    )
    const states = [...document.querySelectorAll('li.check')].map((li) => li.getAttribute('data-state'))
    expect(states).toEqual(['pass', 'fail', 'running', 'pending'])
    expect(screen.getByText('2 of 4 checks done')).toBeTruthy()
    expect(screen.getByTestId('waiting').textContent).toBe(
      'waiting for the etcd pod to be Running (12 s of 30 s)',
    )
    // check titles are markdown
    expect(document.querySelector('li[data-check="a"] code')?.textContent).toBe('/opt/backup')
    expect(screen.getByRole('img', { name: 'failed' }).textContent).toBe('✘')
  })

  it('says it is checking before the server has told the first check', () => {
    render(<GradingProgress grading={null} />)
    expect(screen.getByRole('region', { name: 'Checking your work' }).textContent).toContain(
      'Checking your work…',
    )
    expect(document.querySelectorAll('li.check')).toHaveLength(0)
  })

  it('rounds the waited time to whole seconds and never shows a negative one', () => {
    expect(waitingText({ what: 'w', waitedMs: 1499, withinMs: 90_000 })).toBe('w (1 s of 90 s)')
    expect(waitingText({ what: 'w', waitedMs: -5, withinMs: 0 })).toBe('w (0 s of 0 s)')
  })
})
