/**
 * AWS region knowledge, generated from the partition table shipped in the AWS SDK for JavaScript v3
 * (`scripts/gen-partitions.mjs` → partitions.json; a unit test keeps the copy equal to the installed SDK's table).
 */
import data from './partitions.json';
import { nearest } from '../text/nearest';

export interface Partition {
  readonly id: string;
  readonly name: string;
  readonly dnsSuffix: string;
  readonly regionRegex: string;
  readonly regions: Readonly<Record<string, string>>;
}

export interface RegionInfo {
  readonly id: string;
  readonly name: string;
  readonly partition: string;
}

export const PARTITIONS: readonly Partition[] = data.partitions as unknown as Partition[];

const REGEXES = PARTITIONS.map((p) => ({ partition: p, regex: new RegExp(p.regionRegex) }));

/** Pseudo-regions such as `aws-global` are in the SDK data but are not regions a Secrets Manager client can use. */
function isPseudoRegion(id: string): boolean {
  return id.endsWith('-global');
}

const REGIONS: ReadonlyMap<string, RegionInfo> = new Map(
  PARTITIONS.flatMap((p) =>
    Object.entries(p.regions)
      .filter(([id]) => !isPseudoRegion(id))
      .map(([id, name]) => [id, { id, name, partition: p.id }] as const),
  ),
);

export function allRegions(): RegionInfo[] {
  return [...REGIONS.values()];
}

export function regionInfo(id: string): RegionInfo | undefined {
  return REGIONS.get(id);
}

/** The partition whose region pattern matches, or undefined when the id matches no partition. */
export function partitionOfRegion(id: string): Partition | undefined {
  const known = REGIONS.get(id);
  if (known) return PARTITIONS.find((p) => p.id === known.partition);
  return REGEXES.find((r) => r.regex.test(id))?.partition;
}

export function isWellFormedRegion(id: string): boolean {
  return REGEXES.some((r) => r.regex.test(id));
}

export function nearestRegion(id: string): string | undefined {
  return nearest(id.trim(), REGIONS.keys(), 3);
}
