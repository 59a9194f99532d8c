/**
 * What a container gets from a variable's value: the deployment's own interpolations (`${VAR}`, `$(VAR)`) masked as
 * placeholders, `$$` reduced to `$` where Compose and Kubernetes reduce it, and {ENC} cut off — with a source map back
 * to the file, so that the store rules' findings land on the characters written. Pure.
 */
import { ENC_PREFIX } from '../model/products';
import type { ContainerForm } from '../model/containers';
import { SourceMap } from '../text/sourceMap';
import { ContainerVariable, sliceMap } from './containers';

/** The interpolations a deployment fills in: Compose's `${VAR}` (and its forms with defaults), Kubernetes's `$(VAR)`. */
export const INTERPOLATION = /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)/g;

/**
 * The value as the container gets it, for a form whose values the deployment expands (Compose and Kubernetes reduce
 * `$$` to `$`; an env file is left as it is): interpolations masked with the placeholder, `$$` one `$` mapped to both.
 */
function expandedView(password: ContainerVariable, placeholder: string, form: ContainerForm): ContainerVariable {
  const value = password.value;
  if (!value.includes('$')) return password;
  const escapes = form !== 'env';
  const map = password.valueMap;
  let out = '';
  const outStart: number[] = [];
  const docStart: number[] = [];
  const width: number[] = [];
  const push = (from: number, to: number, text: string) => {
    // One output character per run entry; consecutive one-to-one characters share a run.
    const w = map.endOf(to - 1) - map.startOf(from);
    const last = outStart.length - 1;
    if (text.length === 1 && w === 1 && last >= 0 && width[last] === 1 && docStart[last] + (out.length - outStart[last]) === map.startOf(from)) {
      out += text;
      return;
    }
    outStart.push(out.length);
    docStart.push(map.startOf(from));
    width.push(text.length === 1 ? w : 1);
    out += text;
  };
  const interpolation = new RegExp(INTERPOLATION.source, 'y');
  for (let i = 0; i < value.length;) {
    if (escapes && value[i] === '$' && value[i + 1] === '$') {
      push(i, i + 2, '$');
      i += 2;
      continue;
    }
    interpolation.lastIndex = i;
    const m = value[i] === '$' ? interpolation.exec(value) : null;
    if (m) {
      for (let k = 0; k < m[0].length; k++) push(i + k, i + k + 1, placeholder);
      i += m[0].length;
      continue;
    }
    push(i, i + 1, value[i]);
    i++;
  }
  if (out === value) return password;
  return { ...password, value: out, valueMap: SourceMap.fromRuns(outStart, docStart, width, out.length, map.startOf(value.length)) };
}

/** The password variable as the store reads it: interpolation masked, `$$` reduced, {ENC} cut off (said elsewhere). */
export function storeView(password: ContainerVariable, placeholder: string, form: ContainerForm): ContainerVariable {
  const masked = expandedView(password, placeholder, form);
  if (!masked.value.startsWith(ENC_PREFIX)) return masked;
  const payloadLength = masked.value.length - ENC_PREFIX.length;
  return {
    ...masked,
    value: masked.value.slice(ENC_PREFIX.length),
    valueMap: sliceMap(masked.valueMap, ENC_PREFIX.length, payloadLength, masked.valueMap.startOf(masked.value.length)),
    valueStart: masked.valueMap.startOf(ENC_PREFIX.length),
  };
}
