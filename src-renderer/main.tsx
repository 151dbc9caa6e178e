import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

// The inspector UI arrives with the UI issue; until then the page says what the engine is.
function App() {
  return (
    <main>
      <h1>Loupe</h1>
      <p>The engine is running. The inspector UI is not built yet.</p>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)
