import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown'

describe('renderMarkdown', () => {
  it('adds a copy button to code blocks and escapes their text', () => {
    const html = renderMarkdown('Run:\n\n```bash\netcdctl get / --prefix <x>\n```\n')
    expect(html).toContain('data-copy')
    expect(html).toContain('<code class="language-bash">etcdctl get / --prefix &lt;x&gt;</code>')
  })

  it('shows raw HTML as text', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\nhello <img src=x onerror=alert(1)>')
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;')
  })

  it('neutralizes javascript: links', () => {
    const html = renderMarkdown('[x](javascript:alert(1)) [ok](https://kubernetes.io/docs/)')
    expect(html).not.toContain('javascript:')
    expect(html).toContain('href="https://kubernetes.io/docs/"')
  })

  it('renders inline code and headings', () => {
    const html = renderMarkdown('# Task\n\nUse `etcdctl`.')
    expect(html).toContain('<h1')
    expect(html).toContain('<code>etcdctl</code>')
  })
})
