// Cases where the simulator's kubectl still differs from the real client, per
// profile, with what differs and why it stays. The suite fails when one of
// them starts agreeing (then delete it here): this list may only shrink.

export const KNOWN_DIFFERENCES: Record<'1.31' | '1.34', Record<string, string>> = {
  '1.31': {},
  '1.34': {
    // Not a simulator error: the -o kyaml printer exists in kubectl 1.34 only behind
    // KUBECTL_KYAML=true and is on by default from 1.35 (kubernetes#133327), so the
    // real 1.36 lists it and a 1.34 client does not.
    'create-deploy-bad-output':
      'kubectl 1.36 lists the kyaml printer among the allowed formats; 1.34 has it off by default (kyaml on by default since 1.35, kubernetes#133327)',
    'help-get':
      "kubectl 1.36's `get` usage line names kyaml; 1.34's does not (kyaml on by default since 1.35, kubernetes#133327)",
  },
}
