import { useMemo } from 'react'
import { copyText } from '../clipboard'
import { renderMarkdown } from '../markdown'

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
