// Lab text → HTML. Raw HTML in the markdown is shown as text, not run, and
// every code block gets a copy button (handled by one delegated click).

import { Marked } from 'marked'

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

const marked = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }) {
      const language = (lang ?? '').match(/^[\w-]+/)?.[0] ?? ''
      const cls = language ? ` class="language-${language}"` : ''
      return (
        `<div class="code-block"><button type="button" class="copy" data-copy aria-label="Copy to clipboard">Copy</button>` +
        `<pre><code${cls}>${escapeHtml(text)}</code></pre></div>\n`
      )
    },
    html({ text }) {
      return escapeHtml(text)
    },
    link({ href, text }) {
      const safe = /^(https?:|mailto:|#|\/)/i.test(href) ? href : '#'
      return `<a href="${escapeHtml(safe)}" target="_blank" rel="noreferrer noopener">${escapeHtml(text)}</a>`
    },
  },
})

export function renderMarkdown(md: string): string {
  return marked.parse(md, { async: false }) as string
}
