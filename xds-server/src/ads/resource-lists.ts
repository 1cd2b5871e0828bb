// A snapshot's resource maps as arrays: its names (delta streams walk them) and its resources (the
// state-of-the-world response of a wildcard type). Made once per map however many streams ask, since
// every stream of a fleet sends from the same snapshot maps.
import type { AnyMessage } from '../proto/messages.ts';

type ResourceMap = ReadonlyMap<string, AnyMessage>;

const names = new WeakMap<ResourceMap, readonly string[]>();
const values = new WeakMap<ResourceMap, readonly AnyMessage[]>();

export function resourceNames(resources: ResourceMap): readonly string[] {
  return once(names, resources, () => [...resources.keys()]);
}

export function resourceValues(resources: ResourceMap): readonly AnyMessage[] {
  return once(values, resources, () => [...resources.values()]);
}

function once<T>(cache: WeakMap<ResourceMap, T>, resources: ResourceMap, make: () => T): T {
  let made = cache.get(resources);
  if (made === undefined) {
    made = make();
    cache.set(resources, made);
  }
  return made;
}
