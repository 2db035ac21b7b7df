/** `{ field: { from, to } }` naming only what changed: the shape every `*.updated` event carries. */
export type Changes<T> = { [K in keyof T]?: { from: T[K]; to: T[K] } };

/**
 * Applies `patch` to `target` field by field and reports what really changed
 * (a field set to its current value is no change). Deep-equal by JSON, which
 * is enough for the plain values aggregates hold.
 */
export function applyChanges<T extends object>(target: T, patch: Partial<T>): Changes<T> {
  const changes: Changes<T> = {};
  for (const key of Object.keys(patch) as (keyof T)[]) {
    const to = patch[key] as T[keyof T];
    if (to === undefined) continue;
    const from = target[key];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    changes[key] = { from, to };
    target[key] = to;
  }
  return changes;
}

export function hasChanges<T>(changes: Changes<T>): boolean {
  return Object.keys(changes).length > 0;
}
