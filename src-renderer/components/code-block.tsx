import { CopyButton } from './copy-button'

export function CodeBlock({ code, label, copyTitle }: { code: string; label?: string; copyTitle?: string }) {
  return (
    <figure className="code-block">
      <figcaption>
        <span>{label}</span>
        <CopyButton text={code} title={copyTitle ?? (label ? `Copy ${label}` : 'Copy')} />
      </figcaption>
      <pre tabIndex={0}>{code}</pre>
    </figure>
  )
}
