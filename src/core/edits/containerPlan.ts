/**
 * Writes an AWS Secrets Manager reference into a container deployment, in the file's own style: the class variable and
 * the password variable of the one Jira, Confluence or Bitbucket container (a Compose map or list entry, a Kubernetes
 * name/value entry, an env file line), the JSON single-quoted so that YAML and the product read it back exactly. The
 * result is read back before it is offered: a value that would not decode to the reference is refused. Pure.
 */
import { AWS_STORE } from '../model/cipherClasses';
import { ContainerFileKind, FileKind } from '../model/fileKind';
import { Product } from '../model/products';
import { ContainerForm, containerVariableNames, identifyContainer } from '../model/containers';
import { TextEdit } from '../diagnostics';
import { AwsSecretTarget, Plan, referenceJson } from './awsSecretPlan';
import type { Container } from '../containers/containers';
import { containers } from '../containers/load';

type Refusal = { kind: 'error'; message: string };

/** The setting or variable that holds the database password in a file of this kind. */
export function passwordKeyOf(kind: FileKind): string {
  return kind.format === 'container' ? containerVariableNames(kind.profile.product).passwordVar : kind.profile.passwordSetting;
}

/** The containers of a container deployment's (already masked) text, in one of its forms. */
export function readContainers(text: string, form: ContainerForm) {
  return form === 'env' ? containers().readEnvContainers(text) : containers().readYamlContainers(text, form);
}

/**
 * The product a container runs (the model's detector); Jira or Confluence by their shared variables is the file's
 * product; a container with no image and no product variables is the file's.
 */
function productOf(container: Container, fallback: Product): Product | undefined {
  const identity = identifyContainer({ image: container.image?.text, helmKey: container.helmProduct, names: container.variables.map((v) => v.key) });
  if (identity.product) return identity.product;
  if (identity.family === 'atl') return fallback === 'bitbucket' ? 'jira' : fallback;
  return container.image === undefined ? fallback : undefined;
}

/** The containers a reference can be written to (Jira, Confluence, Bitbucket), with their product. */
function candidates(containers: readonly Container[], kind: ContainerFileKind): { container: Container; product: Product }[] {
  return containers
    .map((container) => ({ container, product: productOf(container, kind.profile.product) }))
    .filter((c): c is { container: Container; product: Product } => c.product === 'jira' || c.product === 'confluence' || c.product === 'bitbucket');
}

/** The product containers of a file (Jira, Confluence, Bitbucket), by name: the ones a reference can be written to. */
export function productContainers(text: string, kind: ContainerFileKind): { name: string; product: Product; start: number; end: number }[] {
  return candidates(readContainers(text, kind.container).containers, kind).map((c) => ({
    name: c.container.name,
    product: c.product,
    start: c.container.start,
    end: c.container.end,
  }));
}

/** The product container a document offset lies in (a finding's, a lens's), when there are several to choose from. */
export function productContainerAt(text: string, kind: FileKind, offset: number): string | undefined {
  if (kind.format !== 'container') return undefined;
  return productContainers(text, kind).find((c) => c.start <= offset && offset <= c.end)?.name;
}

/** A variable of one product container (the only one, or the one named); undefined when unset or set elsewhere. */
export function containerVariable(
  text: string,
  kind: ContainerFileKind,
  name: string,
  service?: string,
): { readonly value: string; readonly start: number } | undefined {
  // One reading of the file for both the candidates and their variables.
  const chosen = candidates(readContainers(text, kind.container).containers, kind).filter((c) => service === undefined || c.container.name === service);
  if (chosen.length !== 1) return undefined;
  return chosen[0].container.variables.filter((v) => v.key === name && !v.fromReference).at(-1);
}

export function planContainerAwsSecret(text: string, kind: ContainerFileKind, target: AwsSecretTarget, service?: string): Plan | Refusal {
  const file = readContainers(text, kind.container);
  const found = candidates(file.containers, kind).filter((c) => service === undefined || c.container.name === service);
  if (found.length === 0) {
    return {
      kind: 'error',
      message: service
        ? `no Jira, Confluence or Bitbucket container named "${service}" in this file`
        : 'no Jira, Confluence or Bitbucket container in this file',
    };
  }
  if (found.length > 1) {
    return {
      kind: 'error',
      message: `the file runs several product containers (${found.map((c) => c.container.name).join(', ')}): name one with --service`,
    };
  }
  const { container, product } = found[0];
  const { classVar, passwordVar } = containerVariableNames(product);
  const json = referenceJson(target);
  // Compose and Kubernetes expand `$` in values ($NAME, ${NAME}, $(NAME)) and reduce `$$` to `$`: a `$` of the reference
  // is written as `$$`. An env file is read by tools that differ in this, so there a `$` is refused.
  if (json.includes('$') && kind.container === 'env') {
    return { kind: 'error', message: 'the reference holds "$", which the tools that read env files expand differently: use a secret name and key without "$"' };
  }
  const written = (value: string) => (kind.container === 'env' ? value : value.replace(/\$/g, '$$$$'));
  const vars = new Map(container.variables.map((v) => [v.key, v]));
  const edits: TextEdit[] = [];
  const inserts: string[] = [];
  for (const [name, value] of [
    [classVar, AWS_STORE],
    [passwordVar, json],
  ] as const) {
    const existing = vars.get(name);
    if (existing?.fromReference) {
      return { kind: 'error', message: `${name} is set from a Kubernetes Secret or ConfigMap (valueFrom): put the value there, or replace the entry by hand` };
    }
    if (existing && existing.value === written(value) && !existing.merged) continue;
    if (existing?.replace) edits.push({ start: existing.replace.start, end: existing.replace.end, newText: existing.replace.render(written(value)) });
    // Unset, or set through a merge key (`<<: *env`): written in the container's own map, which overrides the merged one.
    else if ((!existing || existing.merged) && container.insert) inserts.push(container.insert.render(name, written(value)));
    else return { kind: 'error', message: `there is no place to write ${name} in ${container.name}'s environment (add an environment section first)` };
  }
  if (inserts.length > 0 && container.insert) edits.push({ start: container.insert.offset, end: container.insert.offset, newText: inserts.join('') });
  // The file's own line ends (a CRLF file stays CRLF).
  if (text.includes('\r\n')) for (let i = 0; i < edits.length; i++) edits[i] = { ...edits[i], newText: edits[i].newText.replace(/\r?\n/g, '\r\n') };
  const newText = [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
  // Read back: the product must see exactly the class and the reference.
  const again = readContainers(newText, kind.container).containers.find((c) => c.name === container.name);
  const seen = new Map(again?.variables.map((v) => [v.key, v.value]));
  if (seen.get(classVar) !== AWS_STORE || seen.get(passwordVar) !== written(json)) {
    return {
      kind: 'error',
      message: `the values written would not read back exactly in this ${kind.container} file; set ${classVar} and ${passwordVar} by hand`,
    };
  }
  return { kind: 'edits', edits, newText, changed: edits.length > 0, lines: [`${classVar}=${AWS_STORE}`, `${passwordVar}=${json}`] };
}
