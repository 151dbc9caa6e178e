// Shown instead of everything else when the admin API answers 401: no data, just how to get in.

export function UnauthenticatedScreen() {
  const here = window.location.pathname + window.location.search
  return (
    <main className="unauthenticated" aria-labelledby="login-title">
      <div className="login-card">
        <div className="brand large">
          <span className="brand-mark" aria-hidden="true" />
          Loupe
        </div>
        <h1 id="login-title">
          Open the login link printed by <code>loupe serve</code>
        </h1>
        <p>This browser has no Loupe session. When Loupe starts it prints a login link:</p>
        <pre className="login-example">{`Admin / UI     ${window.location.origin}/login?token=…`}</pre>
        <p>
          Open that link here: it signs this browser in until Loupe stops, and opens Live.
          {here !== '/' && here !== '/live' ? (
            <>
              {' '}To land on this very view instead, add this to the end of the link: <code>{`&next=${encodeURIComponent(here)}`}</code>
            </>
          ) : null}
        </p>
        <p>
          The token is also stored in the data dir, in the file <code>admin-token</code>.
        </p>
      </div>
    </main>
  )
}
