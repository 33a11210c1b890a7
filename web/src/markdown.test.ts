import { describe, expect, it } from 'vitest'
import { renderInlineMarkdown, renderMarkdown } from './markdown'

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
    expect(html).toContain('<code><span class="nobr">etcdctl</span></code>')
  })
})

describe('renderInlineMarkdown', () => {
  it('renders backticks and emphasis without a paragraph', () => {
    const html = renderInlineMarkdown('Run `etcdctl snapshot save` **now**')
    expect(html).not.toContain('<p>')
    expect(html).toContain('<strong>now</strong>')
    expect(html).toContain('<span class="nobr">etcdctl</span>')
  })

  it('keeps each flag in one unbreakable piece and the code text intact', () => {
    const html = renderInlineMarkdown('`etcdutl snapshot restore x.db --data-dir /var/lib/etcd-from-backup`')
    expect(html).toContain('<span class="nobr">--data-dir</span>')
    expect(html.replace(/<[^>]+>/g, '')).toBe(
      'etcdutl snapshot restore x.db --data-dir /var/lib/etcd-from-backup',
    )
  })

  it('escapes raw HTML in one-line text too', () => {
    const html = renderInlineMarkdown('a <b onclick=x>b</b> `etcd-<node name> & x`')
    expect(html).not.toContain('<b')
    expect(html).toContain(
      'etcd-&lt;node</span> <span class="nobr">name&gt;</span> <span class="nobr">&amp;</span>',
    )
  })
})
