import { expect, test } from 'vitest'
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors'

const labels = { app: 'web', tier: 'front' }

test.each([
  ['app=web', true],
  ['app==web', true],
  ['app!=web', false],
  ['app!=db', true],
  ['app in (web,db)', true],
  ['app notin (web)', false],
  ['tier', true],
  ['!tier', false],
  ['!missing', true],
  ['app=web,tier=back', false],
  ['app in (db, web),tier', true],
])('%s → %s', (sel, expected) => {
  expect(matchesLabels(parseLabelSelector(sel), labels)).toBe(expected)
})

test('malformed selectors are rejected with the apiserver wording', () => {
  expect(() => parseLabelSelector('app in web')).toThrow(SelectorError)
  expect(() => parseLabelSelector('-bad=1')).toThrow(/unable to parse requirement/)
})

test('field selectors on name, phase and node', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { nodeName: 'cp' },
    status: { phase: 'Running' },
  }
  expect(matchesFields(parseFieldSelector('status.phase=Running,spec.nodeName=cp'), pod)).toBe(true)
  expect(matchesFields(parseFieldSelector('metadata.name!=p'), pod)).toBe(false)
})
