/** Entry point that the extension host loads (extensionTestsPath): runs every *.test.js beside it with mocha. */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec', forbidOnly: true });
  const grep = process.env.ENCPROPS_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      // A closing line in the form CI reads: "N passed, N failed".
      console.log(`integration: ${stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if ((stats?.passes ?? 0) === 0) reject(new Error('no integration test ran'));
      else resolve();
    });
  });
}
