/**
 * The newest policy version the checks and the shared v1.34 fixtures agree on; `latest` means this.
 * Later minors (1.35 user-namespace relaxations, 1.37 sysctls) are applied only when asked for by number.
 */
export const LATEST_PSS_VERSION = 34;
/** Before v1.19 seccomp was read from annotations; older versions are read as v1.19. */
const OLDEST_SUPPORTED = 19;
const NEWEST_KNOWN = 37;

/** Reads `v1.34`, `1.34`, `latest` (or nothing) into a minor number; unreadable input means latest. */
export function parsePssVersion(version: string | undefined): number {
  if (!version || version === 'latest') return LATEST_PSS_VERSION;
  const m = /^v?1\.(\d+)$/.exec(version.trim());
  if (!m) return LATEST_PSS_VERSION;
  return Math.max(OLDEST_SUPPORTED, Math.min(NEWEST_KNOWN, Number(m[1])));
}
