// Lab text → HTML. Raw HTML in the markdown is shown as text, not run, and
// every code block gets a copy button (handled by one delegated click).
// Inline code wraps only at its spaces: each word sits in a no-wrap span, so
// a line never ends in the middle of a flag (`--data-dir` stays whole).

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
    codespan({ text }) {
      // marked hands over the raw code text: escape it, then split on spaces only.
      const words = text
        .split(/( +)/)
        .map((w) => (w === '' || /^ +$/.test(w) ? w : `<span class="nobr">${escapeHtml(w)}</span>`))
      return `<code>${words.join('')}</code>`
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

/** One line of lab text (a card summary, a check title, a hint): inline markdown, no paragraph. */
export function renderInlineMarkdown(md: string): string {
  return marked.parseInline(md, { async: false }) as string
}
