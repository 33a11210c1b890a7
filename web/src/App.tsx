import { useEffect, useRef } from 'react'
import { BoardPage } from './class/BoardPage'
import { InstructorPage } from './class/InstructorPage'
import { JoinPage } from './class/JoinPage'
import { SeatPage } from './class/SeatPage'
import { AttemptPage } from './components/AttemptPage'
import { EditionNotices } from './components/BrowserEdition'
import { Catalogue } from './components/Catalogue'
import { LabIntro } from './components/LabIntro'
import { SettingsMenu } from './components/SettingsMenu'
import { useSettings } from './hooks/useSettings'
import { hrefFor, navigate, useRoute } from './navigation'
import { routePath } from './router'

const TITLES: Record<string, string> = {
  catalogue: 'Labs · ckalab',
  lab: 'Lab · ckalab',
  attempt: 'Attempt · ckalab',
  missing: 'Page not found · ckalab',
  instructor: 'Classes · ckalab',
  class: 'Class board · ckalab',
  join: 'Join a class · ckalab',
  seat: 'Class · ckalab',
}

export function App() {
  const route = useRoute()
  const [settings, setSettings] = useSettings()
  const first = useRef(true)
  const path = routePath(route)

  // On every navigation: a title that names the page, and focus on its heading
  // so keyboard and screen-reader users start at the top of the new page. The
  // attempt page focuses its terminal instead.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per page path
  useEffect(() => {
    document.title = TITLES[route.page] ?? 'ckalab'
    if (first.current) {
      first.current = false
      return
    }
    if (route.page === 'attempt' || route.page === 'seat') return
    const t = setTimeout(() => {
      const h = document.querySelector<HTMLElement>('[data-focus-on-navigate]')
      h?.focus()
    }, 0)
    return () => clearTimeout(t)
  }, [path])

  return (
    <div className={route.page === 'attempt' || route.page === 'seat' ? 'app app-fixed' : 'app'}>
      <header className="topbar">
        <a
          className="brand"
          href={hrefFor('/')}
          onClick={(e) => {
            e.preventDefault()
            navigate('/')
          }}
        >
          ckalab
        </a>
        <span className="tagline">practice the CKA etcd skills</span>
        <span className="spacer" />
        <SettingsMenu settings={settings} onChange={setSettings} />
      </header>
      <EditionNotices />
      {route.page === 'catalogue' && <Catalogue />}
      {route.page === 'lab' && <LabIntro labId={route.lab} />}
      {route.page === 'attempt' && <AttemptPage key={route.token} token={route.token} />}
      {route.page === 'instructor' && <InstructorPage />}
      {route.page === 'class' && <BoardPage key={route.id} id={route.id} />}
      {route.page === 'join' && <JoinPage code={route.code} />}
      {route.page === 'seat' && <SeatPage key={route.token} token={route.token} />}
      {route.page === 'missing' && (
        <main className="page">
          <h1 tabIndex={-1} data-focus-on-navigate>
            Page not found
          </h1>
          <p>
            There is nothing at <code>{route.path}</code>. <a href={hrefFor('/')}>Back to the labs</a>.
          </p>
        </main>
      )}
    </div>
  )
}
