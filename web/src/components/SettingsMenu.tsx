import { FONT_SIZES, type Settings } from '../settings'

/** Terminal font size and light/dark theme, in the top bar. */
export function SettingsMenu({
  settings,
  onChange,
}: {
  settings: Settings
  onChange(patch: Partial<Settings>): void
}) {
  return (
    <span className="settings">
      <label>
        <span className="settings-label">Terminal font</span>{' '}
        <select
          value={settings.fontSize}
          onChange={(e) => onChange({ fontSize: Number(e.target.value) })}
          aria-label="Terminal font size"
        >
          {FONT_SIZES.map((s) => (
            <option key={s} value={s}>
              {s} px
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="theme-toggle"
        aria-pressed={settings.theme === 'dark'}
        onClick={() => onChange({ theme: settings.theme === 'dark' ? 'light' : 'dark' })}
      >
        {settings.theme === 'dark' ? 'Light theme' : 'Dark theme'}
      </button>
    </span>
  )
}
