import type { AnyNodeTypeDef, NodeFamily } from '../nodeType';
import { NODE_FAMILIES } from '../nodeType';

/**
 * The node-type registry: one definition per type id. Registering a type id twice throws (a
 * programming error, found by the tests), looking one up never does.
 */
export class NodeTypeRegistry {
  private readonly byType = new Map<string, AnyNodeTypeDef>();

  register(def: AnyNodeTypeDef): void {
    if (this.byType.has(def.type)) throw new Error(`Node type "${def.type}" is registered twice.`);
    const names = [...def.inputs, ...def.outputs].map((p) => p.name);
    if (new Set(names).size !== names.length)
      throw new Error(`Node type "${def.type}" has two ports with the same name.`);
    this.byType.set(def.type, def);
  }

  /** The definition of a type id, or undefined for an unknown type. */
  get(type: string): AnyNodeTypeDef | undefined {
    return this.byType.get(type);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  /** Every definition, in registration order (the palette's order within a family). */
  list(): readonly AnyNodeTypeDef[] {
    return [...this.byType.values()];
  }

  /** The definitions grouped by family, families in palette order. */
  byFamily(): readonly { family: NodeFamily; types: readonly AnyNodeTypeDef[] }[] {
    return NODE_FAMILIES.map((family) => ({ family, types: this.list().filter((d) => d.family === family) }));
  }
}
