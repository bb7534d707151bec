import type { AppState, Selection } from '../state/appState';
import type { GraphDoc } from '../state/docModel';

export type ActionMenu = 'file' | 'edit' | 'view' | 'step' | 'help';

/** What an action changes: a new document (one undo step unless `commit: false`) and/or a selection. */
export interface ActionResult {
  readonly doc?: GraphDoc;
  readonly selection?: Selection;
  readonly commit?: boolean;
}

/**
 * A registered command. Menus (in-app and Electron's native one), keyboard shortcuts, buttons,
 * the palette and tests all run commands by name through `runAction`, so they behave the same.
 */
export interface Action {
  readonly name: string;
  readonly label: string;
  readonly menu?: ActionMenu;
  /** Shortcut as shown to the user (Ctrl is ⌘ on macOS). */
  readonly shortcut?: string;
  /**
   * The shortcut in browser mode when the browser keeps `shortcut` for itself (Chromium never
   * hands Ctrl+N, Ctrl+T or Ctrl+W to a page); `keyTest` accepts both.
   */
  readonly webShortcut?: string;
  readonly keyTest?: (e: KeyboardEvent) => boolean;
  readonly enabled?: (s: AppState) => boolean;
  /** For on/off settings: whether it is on (menus show a check mark). */
  readonly checked?: (s: AppState) => boolean;
  /** The optional argument carries context, e.g. the node type for "add node" or clipboard data. */
  readonly perform: (s: AppState, arg?: unknown) => ActionResult | void | Promise<ActionResult | void>;
}
