import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/app'
import './styles/theme.css'
import './styles/base.css'
import './styles/app.css'
import './styles/lists.css'
import './styles/detail.css'
import './styles/sources.css'
import './styles/destinations.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)
