/**
 * One checksum over a whole model folder: the sha256 of its manifest's canonical JSON (keys sorted, no
 * spaces) without the checksum field itself. The manifest holds the sha256 and size of every weight file
 * it names, so this one value covers the manifest (step, epoch, random-stream states, tensor offsets,
 * settings) and, through it, the weights. Sealing an existing folder adds the field and rewrites the
 * manifest only; the weight files are never touched. It detects damage and careless edits, not an
 * attacker (who can recompute it): it is a checksum, not a signature.
 */
import * as crypto from 'crypto';

export const CHECKSUM_FIELD = 'checksum';

export interface ManifestChecksum {
  sha256: string;
  covers: string;
}

const COVERS = 'this manifest (keys sorted, without this field) and, through their sha256 in it, its weight files';

/** JSON with object keys sorted at every level: the same text for the same content, whatever the formatting. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as { [key: string]: unknown };
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function digest(manifest: object): string {
  const { [CHECKSUM_FIELD]: _ignored, ...rest } = manifest as { [key: string]: unknown };
  return crypto.createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** `manifest` with its checksum field set (any earlier one replaced). */
export function withChecksum<T extends object>(manifest: T): T & { checksum: ManifestChecksum } {
  return { ...manifest, [CHECKSUM_FIELD]: { sha256: digest(manifest), covers: COVERS } };
}

/** 'missing' (a folder saved before checksums), 'mismatch' (changed or damaged since it was saved), or null. */
export function checksumStatus(manifest: object): 'missing' | 'mismatch' | null {
  const c = (manifest as { [CHECKSUM_FIELD]?: unknown })[CHECKSUM_FIELD];
  if (c === undefined) return 'missing';
  const sha = (c as { sha256?: unknown } | null)?.sha256;
  return typeof sha === 'string' && sha === digest(manifest) ? null : 'mismatch';
}

const warned = new Set<string>();

/** The loud, once-per-folder warning for a folder without a checksum (an old save): loaded, but unverified. */
export function warnUnverified(what: string, dir: string, howToSeal: string): void {
  if (warned.has(dir)) return;
  warned.add(dir);
  console.warn(
    `WARNING: ${what} ${dir} is UNVERIFIED: its manifest.json has no checksum (saved before tsgan checksummed ` +
      `manifests), so a changed step, random-stream state or tensor offset cannot be detected. Its weights' ` +
      `sha256 was checked. If you trust it, seal it: ${howToSeal}`,
  );
}
