// Cases where the simulator's kubectl still differs from the real client, per
// profile, with what differs and why it stays. The suite fails when one of
// them starts agreeing (then delete it here): this list may only shrink.

export const KNOWN_DIFFERENCES: Record<'1.31' | '1.34', Record<string, string>> = {
  '1.31': {},
  '1.34': {},
}
