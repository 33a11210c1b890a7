import { useMemo } from 'react'
import { copyText } from '../clipboard'
import { renderInlineMarkdown, renderMarkdown } from '../markdown'

/** Lab text with working copy buttons on its code blocks. */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source])
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: delegates clicks to the copy buttons inside
    // biome-ignore lint/a11y/useKeyWithClickEvents: the buttons themselves are keyboard-reachable
    <div
      className={`markdown ${className ?? ''}`}
      onClick={(e) => {
        const button = (e.target as HTMLElement).closest('button[data-copy]')
        if (!button) return
        const code = button.parentElement?.querySelector('code')?.textContent ?? ''
        void copyText(code).then((ok) => {
          button.textContent = ok ? 'Copied' : 'Copy failed'
          setTimeout(() => {
            button.textContent = 'Copy'
          }, 1500)
        })
      }}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes raw HTML and unsafe links
      dangerouslySetInnerHTML={{ __html: html }}
    />
  )
}

/** One line of lab text (summary, check title, hint, expected value) with its inline markdown. */
export function InlineMarkdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderInlineMarkdown(source), [source])
  return (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: renderInlineMarkdown escapes raw HTML and unsafe links
    <span className={`markdown-inline ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />
  )
}
