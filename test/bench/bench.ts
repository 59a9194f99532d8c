/** npm run bench — performance budgets from the issues. Exits 1 when a budget is missed. */
import { formatValidateBench, runValidateBench } from './validateBench';
import { formatVerifyBench, runVerifyBench } from './verifyBench';
import { runXmlBench } from './xmlBench';
import { runTemplateBench } from './templateBench';
import { runContainerBench } from './containerBench';
import { formatHostileBench, runHostileBench } from './hostileBench';
import { formatLinearityBench, runLinearityBench } from './linearityBench';
import { formatBundleBench, runBundleBench } from './bundleBench';
import { XML_BUDGET } from './xmlBench';
import { CONTAINER_BUDGET } from './containerBench';
import { formatLspBench, runLspBench } from './lspBench';

// The SDK's notice about its future Node 22 requirement is not a benchmark result.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function main(): Promise<number> {
  const failures: string[] = [];
  const validate = runValidateBench();
  console.log(formatValidateBench(validate.results));
  failures.push(...validate.failures);
  console.log('');
  const linearity = runLinearityBench();
  console.log(formatLinearityBench(linearity.rows));
  failures.push(...linearity.failures);
  console.log('');
  const xml = runXmlBench();
  console.log(
    `XML: a 10,000-element confluence.cfg.xml read + validated in ${xml.ms.toFixed(2)} ms; a bare saxes parse of it ${xml.floor.toFixed(2)} ms ` +
      `(${(xml.ms / xml.floor).toFixed(2)}×; budget ${XML_BUDGET}×)`,
  );
  failures.push(...xml.failures);
  console.log('');
  const template = runTemplateBench();
  console.log(
    `Templates: a 10,000-line Jinja2 bitbucket.properties.j2 masked + validated in ${template.template.toFixed(2)} ms; ` +
      `the same file rendered in ${template.rendered.toFixed(2)} ms (${(template.template / template.rendered).toFixed(2)}×; budget 1.5×)`,
  );
  failures.push(...template.failures);
  console.log('');
  const containers = await runContainerBench();
  console.log(
    `Containers: a 10,000-line Compose file read + validated in ${containers.compose.toFixed(2)} ms (the yaml library's parse ${containers.composeFloor.toFixed(2)} ms, ` +
      `${(containers.compose / containers.composeFloor).toFixed(2)}×), a 10,000-line Kubernetes manifest in ${containers.manifest.toFixed(2)} ms ` +
      `(${containers.manifestFloor.toFixed(2)} ms, ${(containers.manifest / containers.manifestFloor).toFixed(2)}×; budget ${CONTAINER_BUDGET}× each); ` +
      `1,000 unrelated YAML files add ${containers.scanAdded.toFixed(0)} ms to a scan (budget 1 s)`,
  );
  failures.push(...containers.failures);
  console.log('');
  const verify = await runVerifyBench();
  console.log(formatVerifyBench(verify.result));
  failures.push(...verify.failures);
  console.log('');
  const bundle = runBundleBench();
  console.log(formatBundleBench(bundle.result));
  failures.push(...bundle.failures);
  console.log('');
  const lsp = await runLspBench();
  console.log(formatLspBench(lsp.result));
  failures.push(...lsp.failures);
  console.log('');
  const hostile = await runHostileBench();
  console.log(formatHostileBench(hostile.result));
  failures.push(...hostile.failures);
  console.log('');
  if (failures.length) {
    for (const f of failures) console.log(`BUDGET MISSED: ${f}`);
    return 1;
  }
  console.log('All budgets met.');
  return 0;
}

void main().then((code) => process.exit(code));
