/** Step 2: the region (the file's, AWS_REGION, the profile's; never a silent default). */
import { allRegions } from '../../core/regions/regions';
import { BACK, Choice } from '../wizardUi';
import { WizardContext, State, StepResult, step, existingReference, profileRegion, NO_REGION } from '../state';

export async function pickRegion(w: WizardContext, state: State): Promise<StepResult> {
  const existing = existingReference(state.resolved?.analysis)?.region;
  const preselect = state.region ?? existing ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? profileRegion();
  const regions = allRegions();
  const choices: Choice<string>[] = regions.map((r) => ({
    label: r.id,
    description: r.name,
    value: r.id,
    group: r.partition === 'aws' ? 'AWS' : `Partition ${r.partition}`,
  }));
  // Only a region with a reason is preselected (the file, AWS_REGION, the profile). Otherwise the first item says so,
  // so that Enter does not silently pick the first region of the list.
  const known = regions.some((r) => r.id === preselect);
  const hint: Choice<string>[] = known
    ? []
    : [{ label: '$(info) No region preselected', description: 'type the region ID or name of the secret, then pick it', value: NO_REGION }];
  const picked = await w.ui.pick(step(2, state), [...hint, ...choices], {
    placeholder: known ? 'Region of the secret (type to filter by ID or name)' : 'Region of the secret: none is preselected (type to filter by ID or name)',
    active: known ? preselect : NO_REGION,
  });
  if (picked === undefined || picked === BACK) return picked;
  if (picked === NO_REGION) return { next: 'region' };
  state.region = picked;
  return { next: 'secret' };
}
