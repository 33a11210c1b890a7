// Parts of ckalab other modules provide (the web server, the lab runner) are
// loaded only when their command runs, and only if they are present.

export type SubCommand = (argv: string[]) => Promise<number>

export class MissingModuleError extends Error {}

/** Import `specifier` and return its export `name`; undefined when the module is not part of this ckalab. */
export async function loadExport<T>(
  load: () => Promise<Record<string, unknown>>,
  name: string,
): Promise<T | undefined> {
  let mod: Record<string, unknown>
  try {
    mod = await load()
  } catch (err) {
    const e = err as { code?: string; message?: string }
    // Only a missing module means "not there"; a module that fails while loading is a real error.
    if (e.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(e.message ?? '')) return undefined
    throw err
  }
  const value = mod[name]
  return typeof value === 'function' ? (value as T) : undefined
}

export const loaders = {
  server: () => import('../server/cli') as Promise<Record<string, unknown>>,
  labs: () => import('./lab-commands') as Promise<Record<string, unknown>>,
  classes: () => import('../server/classes/cli') as Promise<Record<string, unknown>>,
}
