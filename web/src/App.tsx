import { AttemptPage } from './components/AttemptPage'
import { Catalogue } from './components/Catalogue'
import { LabIntro } from './components/LabIntro'
import { navigate, useRoute } from './navigation'

export function App() {
  const route = useRoute()
  return (
    <div className="app">
      <header className="topbar">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault()
            navigate('/')
          }}
        >
          ckalab
        </a>
        <span className="tagline">practice the CKA etcd skills</span>
      </header>
      {route.page === 'catalogue' && <Catalogue />}
      {route.page === 'lab' && <LabIntro labId={route.lab} />}
      {route.page === 'attempt' && <AttemptPage key={route.token} token={route.token} />}
      {route.page === 'missing' && (
        <main className="page">
          <h1>Page not found</h1>
          <p>
            There is nothing at <code>{route.path}</code>. <a href="/">Back to the labs</a>.
          </p>
        </main>
      )}
    </div>
  )
}
