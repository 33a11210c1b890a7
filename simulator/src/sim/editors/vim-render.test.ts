import { describe, expect, it } from 'vitest'
import { render, ruler } from './vim-render'
import { VimState } from './vim-state'

describe('vim rendering', () => {
  it('puts the cursor on a tab where vim does and shows screen and byte columns in the ruler', () => {
    const s = new VimState(['\tx', 'é'], 'f', false, { write: async () => undefined })
    s.col = 1
    const screen = render(s, { cols: 40, rows: 5 })
    expect(screen).toContain('\x1b[1;1H\x1b[2K        x')
    expect(screen).toContain('\x1b[3;1H\x1b[2K\x1b[94m~\x1b[0m')
    expect(ruler(s, 4)).toMatch(/^1,2-9\s+All$/)
    // On the tab itself, as Debian 12's vim shows it (tmux): ruler 1,1-8, cursor on the tab's last cell;
    // in insert mode 1,1 and the first cell.
    s.col = 0
    expect(ruler(s, 4)).toMatch(/^1,1-8\s+All$/)
    expect(render(s, { cols: 40, rows: 5 }).endsWith('\x1b[1;8H\x1b[?25h')).toBe(true)
    s.mode = 'insert'
    expect(ruler(s, 4)).toMatch(/^1,1\s+All$/)
    expect(render(s, { cols: 40, rows: 5 }).endsWith('\x1b[1;1H\x1b[?25h')).toBe(true)
    s.mode = 'normal'
    s.row = 1
    s.col = 0
    expect(ruler(s, 4)).toMatch(/^2,1\s+All$/)
  })

  it("shows messages waiting for Enter at the bottom with vim's prompt", () => {
    const s = new VimState([''], 'f', false, { write: async () => undefined })
    s.hitEnter = ['"f"', 'E342: Out of memory!  (allocating 9 bytes)']
    const screen = render(s, { cols: 60, rows: 6 })
    expect(screen).toContain('\x1b[4;1H"f"')
    expect(screen).toContain('\x1b[5;1H\x1b[97;41mE342: Out of memory!  (allocating 9 bytes)\x1b[0m')
    expect(screen).toContain('\x1b[6;1H\x1b[32mPress ENTER or type command to continue\x1b[0m')
  })
})
