// Regenerates src/core/regions/partitions.json from the partition table that ships inside the AWS SDK for
// JavaScript v3 (@aws-sdk/core, used by @aws-sdk/util-endpoints). Region knowledge is never kept by hand:
// a unit test fails when the installed SDK's table differs from the generated copy; run `npm run gen:partitions`.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export async function loadSdkPartitions() {
  const require = createRequire(join(root, 'package.json'));
  const corePkg = require.resolve('@aws-sdk/core/package.json');
  const file = join(dirname(corePkg), 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js');
  const mod = await import(pathToFileURL(file).href);
  const version = require('@aws-sdk/core/package.json').version;
  const partitions = mod.partitionsInfo.partitions.map((p) => ({
    id: p.id,
    name: p.outputs.name,
    dnsSuffix: p.outputs.dnsSuffix,
    regionRegex: p.regionRegex,
    regions: Object.fromEntries(Object.entries(p.regions).map(([id, r]) => [id, r.description ?? id])),
  }));
  return { source: `@aws-sdk/core@${version}`, partitions };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const data = await loadSdkPartitions();
  writeFileSync(join(root, 'src/core/regions/partitions.json'), JSON.stringify(data, null, 2) + '\n');
  console.log(`wrote src/core/regions/partitions.json from ${data.source}`);
}
