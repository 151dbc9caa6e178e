// Settings: backup of the whole database (download now, and the command that restores it), and the
// current sources and destinations as a config file for `loupe serve --config`.

import { downloads } from '../../api/client'
import { CodeBlock } from '../../components/code-block'
import { useStats } from '../../state/stats-store'
import { restoreCommand } from './restore-command'

export function SettingsView() {
  const dbPath = useStats((s) => s.stats?.db.path ?? null)
  return (
    <section className="screen settings-screen" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">Settings</h1>
        <p className="muted screen-intro">Back up this Loupe, and share its setup as a file.</p>
      </header>
      <div className="routing-body">
        <div className="destination-form">
          <section className="form-section" aria-labelledby="backup-title">
            <h2 id="backup-title">Backup</h2>
            <p>
              A consistent copy of the whole database — events, sources, destinations and their delivery state — taken while Loupe keeps
              running.
            </p>
            <div className="button-row">
              <a className="button primary" href={downloads.backup} download>
                Download backup
              </a>
            </div>
            <p className="muted">To restore it, stop Loupe, then run (the current database is kept beside it as loupe.db.before-restore-…):</p>
            <CodeBlock label="Restore" code={restoreCommand(dbPath)} copyTitle="Copy the restore command" />
            <p className="muted">
              Destinations’ secrets in a backup open only with this data dir’s secret.key: to restore on another machine, copy that file too
              (keep it private), or enter the secrets again.
            </p>
          </section>
          <section className="form-section" aria-labelledby="config-title">
            <h2 id="config-title">Config as code</h2>
            <p>
              The sources (with their write keys) and destinations (settings, filters, consent, pacing) as a file that brings up the same
              setup elsewhere. Secrets are written as <code>{'${LOUPE_SECRET_…}'}</code> references to environment variables, never in clear.
            </p>
            <div className="button-row">
              <a className="button" href={downloads.configExport('yaml')} download>
                Export config (YAML)
              </a>
              <a className="button" href={downloads.configExport('json')} download>
                Export config (JSON)
              </a>
            </div>
            <CodeBlock label="Load it" code="loupe serve --config loupe.config.yaml" copyTitle="Copy the command" />
          </section>
        </div>
      </div>
    </section>
  )
}
