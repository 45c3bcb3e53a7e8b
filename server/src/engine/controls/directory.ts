/**
 * The engine's ControlDirectory over a ControlRegistry: what analysers and hovers use. It replaces
 * `familyOnlyDirectory` once the workspace's catalogs and profiles are fed into the registry.
 */
import type { ControlDirectory } from '../analysis';
import { formatControlHover } from './hover';
import type { ControlInfo, ControlRegistry } from './registry';

export interface DirectoryOptions {
  /** The profile lookups go through first (the configured baseline, when it is a registered profile). */
  profile?: () => string | undefined;
}

export function registryDirectory(registry: ControlRegistry, options: DirectoryOptions = {}): ControlDirectory & { info(id: string): ControlInfo | undefined } {
  const info = (id: string): ControlInfo | undefined => registry.lookup(id, { profile: options.profile?.() });
  return {
    info,
    lookup: info,
    isKnownFamily: (family) => registry.isKnownFamily(family),
    hover(id) {
      const found = info(id);
      return found ? formatControlHover(found) : undefined;
    },
  };
}
