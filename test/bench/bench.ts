/** npm run bench — performance budgets from the issues. Exits 1 when a budget is missed. */
import { formatValidateBench, runValidateBench } from './validateBench';

async function main(): Promise<number> {
  const failures: string[] = [];
  const validate = runValidateBench();
  console.log(formatValidateBench(validate.results));
  failures.push(...validate.failures);
  console.log('');
  if (failures.length) {
    for (const f of failures) console.log(`BUDGET MISSED: ${f}`);
    return 1;
  }
  console.log('All budgets met.');
  return 0;
}

main().then((code) => process.exit(code));
