// A reference to a stored event from profile data: opens it in the detail pane beside the page.

import { useDetail } from '../../state/detail-store'

export function EventLink({ id, children }: { id: string; children?: string }) {
  return (
    <button type="button" className="link-button event-link" data-event-id={id} title="Open the event" onClick={() => useDetail.getState().open(id)}>
      {children ?? `event ${id}`}
    </button>
  )
}
