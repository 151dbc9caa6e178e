// What a profile is called on screen: the engine's label (an email, a user id…), or its id when it has no
// usable one, so a link is never an empty, unclickable name.

export function profileLabel(label: string | null | undefined, id: number): string {
  const text = label?.trim() ?? ''
  return text === '' ? `profile #${id}` : text
}
