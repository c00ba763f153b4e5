import { partition } from '@aws-sdk/core/client';

/**
 * Regions and partitions come from the SDK's own endpoint data (the partitions table every client resolves endpoints
 * with), so a region AWS opens is known as soon as the bundled SDK knows it. Only the standard `aws` partition is
 * supported: ARNs and service principals are built as `arn:aws:…`, which aws-cn and aws-us-gov do not accept.
 */

/** A region code, not one of the table's pseudo-regions (`aws-global`, `aws-cn-global`). */
const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The partition a known region belongs to (`aws`, `aws-cn`, `aws-us-gov`…), or undefined for an unknown code. */
export function partitionOf(region: string): string | undefined {
  if (!REGION_CODE.test(region)) return undefined;
  const info = partition(region) as { name: string; description?: string };
  return info.description === undefined ? undefined : info.name;
}

/** The console's name of a region ("Asia Pacific (Sydney)"), as the SDK's data describes it. */
export const regionName = (region: string): string | undefined =>
  partitionOf(region) ? (partition(region) as { description?: string }).description : undefined;

export const isKnownRegion = (region: string): boolean => partitionOf(region) === 'aws';

/** Why a region cannot be used, or undefined when it can. */
export function regionProblem(region: string): string | undefined {
  const found = partitionOf(region);
  if (found === undefined) return `"${region}" is not an AWS region code the bundled AWS SDK knows (for example ap-southeast-1, ap-southeast-2, us-east-1)`;
  if (found !== 'aws')
    return `"${region}" is in the ${found} partition; replicate-setup supports only the standard aws partition (its ARNs and service principals are built for it)`;
  return undefined;
}

/**
 * Every region where an S3 bucket can live, from S3's own list of location constraints (plus us-east-1, which needs
 * none), with the console names. Loaded on demand: the S3 client is large and only the wizard lists regions.
 */
export async function loadRegions(): Promise<Record<string, string>> {
  const { BucketLocationConstraint } = await import('@aws-sdk/client-s3');
  const codes = ['us-east-1', ...Object.values(BucketLocationConstraint)].filter(isKnownRegion);
  return Object.fromEntries(codes.sort().map((code) => [code, regionName(code) ?? code]));
}
