// "Send test event": one sample event sent now, outside the delivery cursor, with the exact request
// and response shown as text.

import { useEffect, useRef, useState } from 'react'
import type { Destination, TestDeliveryResult } from '../../../src-shared/api'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { CodeBlock } from '../../components/code-block'
import { formatDuration } from '../../format/time'
import { prettySample } from '../deliveries/pretty-sample'
import { FormError } from '../../components/form-error'

export function TestEventPanel({ destination }: { destination: Destination }) {
  const [result, setResult] = useState<TestDeliveryResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const resultRef = useRef<HTMLDivElement>(null)
  // The panel is below the form: bring the answer into view.
  // Braces: newer Chromium returns a promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    void resultRef.current?.scrollIntoView({ block: 'nearest' })
  }, [result])

  const send = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      setResult(await api.testDelivery(destination.id))
    } catch (e) {
      setResult(null)
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="form-section test-panel" aria-labelledby="test-title">
      <div className="section-title-row">
        <h2 id="test-title">Test</h2>
        <button type="button" className="button" onClick={() => void send()} disabled={busy}>
          {busy ? 'Sending…' : 'Send test event'}
        </button>
      </div>
      <p className="field-help">Sends a sample track event with the saved settings; it is not stored and does not move the delivery cursor.</p>
      <FormError message={error} />
      {result && (
        <div className="test-result" data-ok={result.ok} ref={resultRef}>
          <p className={result.ok ? 'ok-text' : 'danger-text'} role="status">
            {result.ok ? 'Delivered' : 'Not delivered'}
            {result.httpStatus !== null && ` — HTTP ${result.httpStatus}`} in {formatDuration(result.durationMs)}
            {result.error && `: ${result.error}`}
          </p>
          {result.filteredReason && <p className="muted">Filters, consent or the integrations object would keep this event from the destination: {result.filteredReason}</p>}
          <CodeBlock code={prettySample(result.request, '(empty)')} label="Request" copyTitle="Copy test request" />
          <CodeBlock code={prettySample(result.response, '(no response)')} label="Response" copyTitle="Copy test response" />
        </div>
      )}
    </section>
  )
}
