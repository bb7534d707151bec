import { getState, notify, setDoc, setSelection } from '../state/store';
import type { Action, ActionResult } from './types';

const actions = new Map<string, Action>();

/** Registers a command; registering a name twice is a programming error. */
export function register(action: Action): Action {
  if (actions.has(action.name)) throw new Error(`The action "${action.name}" is registered twice.`);
  actions.set(action.name, action);
  return action;
}

export function getAction(name: string): Action | undefined {
  return actions.get(name);
}

export function allActions(): readonly Action[] {
  return [...actions.values()];
}

function apply(result: ActionResult | void): void {
  if (!result) return;
  if (result.doc) setDoc(result.doc, { commit: result.commit ?? true, selection: result.selection });
  else if (result.selection) setSelection(result.selection);
}

/** Runs a command by name; errors become a toast, never an uncaught exception. */
export async function runAction(name: string, arg?: unknown): Promise<boolean> {
  const action = actions.get(name);
  if (!action) {
    notify(`Unknown command "${name}".`, 'error');
    return false;
  }
  const state = getState();
  if (action.enabled && !action.enabled(state)) return false;
  try {
    apply(await action.perform(state, arg));
    return true;
  } catch (err) {
    notify(`${action.label} failed: ${err instanceof Error ? err.message : String(err)}`, 'error', 7000);
    return false;
  }
}

/** Finds the command a key press triggers, if any. */
export function actionForKey(e: KeyboardEvent): Action | undefined {
  for (const a of actions.values()) if (a.keyTest?.(e)) return a;
  return undefined;
}
