// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { InlineMarkdown, Markdown } from './Markdown'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('Markdown', () => {
  it('renders lab text and never raw HTML from it', () => {
    const { container } = render(<Markdown source={'Run **this**:\n\n<img src=x onerror=alert(1)>'} />)
    expect(container.querySelector('strong')?.textContent).toBe('this')
    expect(container.querySelector('img')).toBeNull()
  })

  it('copies a code block with its copy button', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    render(<Markdown source={'```bash\netcdctl snapshot save /opt/backup/etcd-snapshot.db\n```'} />)
    fireEvent.click(screen.getByRole('button', { name: 'Copy to clipboard' }))
    await waitFor(() => expect(screen.getByRole('button').textContent).toBe('Copied'))
    expect(writeText).toHaveBeenCalledWith('etcdctl snapshot save /opt/backup/etcd-snapshot.db')
  })

  it('renders one line inline: code, no paragraph', () => {
    const { container } = render(<InlineMarkdown source={'Save it at `/opt/backup`'} />)
    expect(container.querySelector('p')).toBeNull()
    expect(container.querySelector('code')?.textContent).toBe('/opt/backup')
  })
})
