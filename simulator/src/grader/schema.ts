import { Ajv, type ErrorObject } from 'ajv'

// The JSON Schema of labs/<id>/lab.yaml and wrong-answers.yaml, and the
// translation of schema errors into "file, field, fix" lines a lab author can act on.

const nodeRef = { enum: ['cp1', 'cp2', 'cp3', 'control-planes', 'all'] }
const verdict = { enum: ['pass', 'fail', 'unknown'] }
const profile = { enum: ['1.20', '1.31', '1.34'] }
const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' }

const runStep = {
  type: 'object',
  additionalProperties: false,
  required: ['on'],
  properties: {
    on: nodeRef,
    run: { type: 'string', minLength: 1 },
    file: { type: 'string', minLength: 1 },
    untilSuccessMs: { type: 'integer', minimum: 0, maximum: 600_000 },
    capture: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
    allowFailure: { type: 'boolean' },
  },
  oneOf: [{ required: ['run'] }, { required: ['file'] }],
}

export const LAB_SCHEMA = {
  $id: 'https://ckalab.dev/schema/lab.json',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'summary', 'difficulty', 'minutes', 'tags', 'cluster', 'tasks', 'solution'],
  properties: {
    id,
    title: { type: 'string', minLength: 3 },
    summary: { type: 'string', minLength: 3 },
    difficulty: { enum: ['easy', 'medium', 'hard'] },
    minutes: { type: 'integer', minimum: 1, maximum: 240 },
    tags: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    curriculumNote: { type: 'string' },
    drivers: { type: 'array', items: { enum: ['sim', 'kind'] }, minItems: 1 },
    cluster: {
      type: 'object',
      additionalProperties: false,
      required: ['controlPlanes', 'kubernetes'],
      properties: {
        controlPlanes: { enum: [1, 3] },
        workers: { type: 'integer', minimum: 0, maximum: 3 },
        kubernetes: profile,
        ageMinutes: { type: 'integer', minimum: 0, maximum: 525600 },
      },
    },
    setup: { type: 'array', items: { anyOf: [runStep, settleStep()] } },
    triggers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'when', 'do'],
        properties: {
          id,
          when: {
            type: 'object',
            additionalProperties: false,
            properties: { probe: { type: 'string', minLength: 1 }, on: nodeRef, run: { type: 'string' } },
            oneOf: [{ required: ['probe'] }, { required: ['on', 'run'] }],
          },
          do: { type: 'array', items: runStep },
          record: { type: 'object' },
          message: { type: 'string' },
        },
      },
    },
    tasks: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'checks'],
        properties: {
          id,
          title: { type: 'string', minLength: 1 },
          text: { type: 'string' },
          file: { type: 'string' },
          points: { type: 'integer', minimum: 0 },
          checks: { type: 'array', items: id, minItems: 1 },
          hints: { type: 'array', items: { type: 'string', minLength: 1 } },
        },
        oneOf: [{ required: ['text'] }, { required: ['file'] }],
      },
    },
    solution: { type: 'string', minLength: 1 },
    // Reference solutions for versions whose tools differ (etcd 3.4 has no etcdutl), by Kubernetes version.
    solutions: {
      type: 'object',
      propertyNames: { enum: ['1.20', '1.31', '1.34'] },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    solutionNotes: { type: 'string' },
    checks: { type: 'string' },
    wrongAnswers: { type: 'string' },
  },
} as const

function settleStep() {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['settle'],
    properties: { settle: { type: 'integer', minimum: 0, maximum: 600_000 } },
  }
}

export const WRONG_ANSWERS_SCHEMA = {
  $id: 'https://ckalab.dev/schema/wrong-answers.json',
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'title', 'expect'],
    properties: {
      id,
      title: { type: 'string', minLength: 3 },
      script: { type: 'string' },
      file: { type: 'string' },
      kubernetes: profile,
      expect: { type: 'object', additionalProperties: verdict, minProperties: 1 },
    },
    oneOf: [{ required: ['script'] }, { required: ['file'] }],
  },
} as const

const ajv = new Ajv({ allErrors: true, strict: false })
const validateLab = ajv.compile(LAB_SCHEMA)
const validateWrong = ajv.compile(WRONG_ANSWERS_SCHEMA)

export interface SchemaProblem {
  field: string
  message: string
  fix: string
}

/** `/tasks/0/points` → `tasks[0].points`, the way an author reads the YAML. */
export function fieldName(pointer: string, extra?: string): string {
  const parts = pointer.split('/').filter(Boolean)
  if (extra) parts.push(extra)
  let out = ''
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p
  return out || '(top level)'
}

function fixFor(e: ErrorObject): string {
  const p = e.params as Record<string, any>
  switch (e.keyword) {
    case 'required':
      return `add the field "${p.missingProperty}"`
    case 'additionalProperties':
      return `remove "${p.additionalProperty}" or correct its spelling`
    case 'enum':
      return `use one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'type':
      return `write a ${p.type} here`
    case 'pattern':
      return 'use lower-case letters, digits and dashes (e.g. "etcd-backup-restore")'
    case 'minItems':
      return `list at least ${p.limit} item(s)`
    case 'minLength':
      return 'write a non-empty value'
    case 'minimum':
    case 'maximum':
      return `use a number ${e.keyword === 'minimum' ? '>=' : '<='} ${p.limit}`
    case 'oneOf':
      return 'give exactly one of the alternatives (e.g. either "text" or "file", either "run" or "file")'
    default:
      return 'see the lab format in labs/README.md'
  }
}

function toProblems(errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  if (!errors) return []
  // anyOf/oneOf produce one error per branch plus a summary; the summary plus the
  // most specific branch errors are what an author needs, so drop duplicates.
  const seen = new Set<string>()
  const out: SchemaProblem[] = []
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'if') continue
    const extra =
      e.keyword === 'additionalProperties'
        ? (e.params as any).additionalProperty
        : e.keyword === 'required'
          ? (e.params as any).missingProperty
          : undefined
    const field = fieldName(e.instancePath, extra)
    const message = e.keyword === 'required' ? 'is missing' : (e.message ?? 'is invalid')
    const key = `${field}|${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ field, message, fix: fixFor(e) })
  }
  return out
}

export function checkLabSchema(doc: unknown): SchemaProblem[] {
  return validateLab(doc) ? [] : toProblems(validateLab.errors)
}

export function checkWrongAnswersSchema(doc: unknown): SchemaProblem[] {
  return validateWrong(doc) ? [] : toProblems(validateWrong.errors)
}
