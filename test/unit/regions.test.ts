import * as assert from 'assert';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { allRegions, isWellFormedRegion, nearestRegion, PARTITIONS, regionInfo } from '../../src/core/regions/regions';

describe('AWS regions from the SDK partition table', () => {
  it('equals the table shipped in the installed AWS SDK (run `npm run gen:partitions` after an SDK upgrade)', async () => {
    const script = path.resolve(__dirname, '../../../scripts/gen-partitions.mjs');
    const { loadSdkPartitions } = (await import(pathToFileURL(script).href)) as { loadSdkPartitions: () => Promise<{ partitions: unknown }> };
    const sdk = await loadSdkPartitions();
    assert.deepStrictEqual(PARTITIONS, sdk.partitions);
  });

  it('knows regions with names and partitions, and excludes pseudo-regions', () => {
    assert.deepStrictEqual(regionInfo('ap-southeast-2'), { id: 'ap-southeast-2', name: 'Asia Pacific (Sydney)', partition: 'aws' });
    assert.strictEqual(regionInfo('cn-north-1')?.partition, 'aws-cn');
    assert.strictEqual(regionInfo('aws-global'), undefined);
    assert.ok(allRegions().length > 30);
  });

  it('checks syntax against every partition pattern', () => {
    assert.ok(isWellFormedRegion('us-east-9'));
    assert.ok(isWellFormedRegion('us-gov-west-1'));
    assert.ok(!isWellFormedRegion('useast1'));
    assert.strictEqual(nearestRegion('us-esat-1'), 'us-east-1');
  });
});
