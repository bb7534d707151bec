import { useLayoutEffect, useMemo, useSyncExternalStore } from 'react';
import { placeGlyph, placeGlyphs } from '../tensors/glyphPlacement';
import type { GlyphPlacement, GlyphRequest, GlyphSide, Rect } from '../tensors/glyphPlacement';

/** Moves the box's point that faces the wire (see glyphPlacement's `attach`) onto the origin. */
export const ATTACH_SHIFT: Record<GlyphSide, string> = {
  on: 'translate(-50%, -50%)',
  above: 'translate(-50%, -100%)',
  below: 'translate(-50%, 0)',
  left: 'translate(-100%, -50%)',
  right: 'translate(0, -50%)',
};

/**
 * The canvas's edge glyphs and shape labels placed together, so that none covers another (each
 * alone only knows the nodes). Every shown glyph or label registers its wire and size here; the places are computed
 * once per change of any of them or of the nodes, and shared by every glyph.
 */
const requests = new Map<string, GlyphRequest>();
const listeners = new Set<() => void>();
/** Bumped when listeners are told (re-renders the glyphs). */
let version = 0;
/** Bumped on every registration change (invalidates the computed places at once). */
let edits = 0;
let pending = false;

/** Tells the glyphs once after a batch of registrations (a whole render's worth of them). */
function changed(): void {
  edits++;
  if (pending) return;
  pending = true;
  queueMicrotask(() => {
    pending = false;
    version++;
    for (const listener of listeners) listener();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getVersion = (): number => version;

function sameRequest(a: GlyphRequest, b: GlyphRequest): boolean {
  return (
    a.options === b.options &&
    a.w === b.w &&
    a.h === b.h &&
    a.anchors.length === b.anchors.length &&
    a.anchors.every((p, i) => p.x === b.anchors[i]!.x && p.y === b.anchors[i]!.y)
  );
}

let cache: { edits: number; nodes: readonly Rect[]; places: Map<string, GlyphPlacement> } | null = null;

/** Every registered glyph's place, computed once per set of registrations and of nodes. */
function placesFor(nodes: readonly Rect[]): Map<string, GlyphPlacement> {
  if (cache?.edits !== edits || cache.nodes !== nodes) {
    cache = { edits, nodes, places: placeGlyphs([...requests.values()], nodes) };
  }
  return cache.places;
}

/**
 * Where the glyph of `request` goes among the canvas's other glyphs and `nodes` (one array
 * shared by every caller, see useNodeRects). Until its request has been seen by the joint
 * placement (the first render, a moved wire), it is placed against the nodes alone.
 */
export function useGlyphPlacement(request: GlyphRequest, nodes: readonly Rect[]): GlyphPlacement {
  const v = useSyncExternalStore(subscribe, getVersion);
  useLayoutEffect(() => {
    const old = requests.get(request.id);
    if (old && sameRequest(old, request)) return;
    requests.set(request.id, request);
    changed();
  }, [request]);
  useLayoutEffect(
    () => () => {
      requests.delete(request.id);
      changed();
    },
    [request.id],
  );
  return useMemo(() => {
    void v; // a new version: another glyph moved, this one's place may change
    const registered = requests.get(request.id);
    const place = registered && sameRequest(registered, request) ? placesFor(nodes).get(request.id) : undefined;
    return place ?? placeGlyph(request.anchors, request, nodes, request.options);
  }, [v, nodes, request]);
}
