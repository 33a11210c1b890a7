import { type ReactNode, useEffect, useState } from 'react'

/** A button that asks once more before doing something that loses work. */
export function ConfirmButton(props: {
  children: ReactNode
  confirmText: string
  onConfirm(): void
  disabled?: boolean
  className?: string
}) {
  const [armed, setArmed] = useState(false)
  useEffect(() => {
    if (!armed) return
    const t = setTimeout(() => setArmed(false), 4000)
    return () => clearTimeout(t)
  }, [armed])
  return (
    <button
      type="button"
      className={`${props.className ?? ''} ${armed ? 'armed' : ''}`}
      disabled={props.disabled}
      onClick={() => {
        if (!armed) return setArmed(true)
        setArmed(false)
        props.onConfirm()
      }}
    >
      {armed ? props.confirmText : props.children}
    </button>
  )
}
