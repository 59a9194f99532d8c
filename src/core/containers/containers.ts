/**
 * The containers a deployment file describes, with their image and environment variables: Docker Compose services
 * (`environment:` as a map or a list of NAME=value), Kubernetes objects with containers (`env:` lists of name/value,
 * every document of the file), Helm values (`<product>.additionalEnvironmentVariables`), and env files. Each variable
 * is a Setting with a source map and the writer of its own quoting style. Pure.
 */
import type { Document, Node, Scalar, YAMLMap } from 'yaml';
import { Deref, mergedPairs, scalarText, yaml } from './yamlLib';
import { afterLine, flowInsert, indentAt, singleQuoted } from './yamlStyle';
import { Setting } from '../model/setting';
import { SourceMap } from '../text/sourceMap';
import { decodeScalar, escapeScalar } from './yamlScalar';
import { escapeEnvValue, readEnvFile } from './envFile';

import { HELM_KEYS } from '../model/containers';
import { MAX_YAML_NODES, relevantChunks, structuralCount } from './yamlParts';

export interface ContainerVariable extends Setting {
  /** Writes a value inside this variable's value as the file needs it (the scalar's or the env line's quoting). */
  readonly escape: (value: string) => string;
  /** Kubernetes valueFrom (a Secret or ConfigMap): set, but not here. */
  readonly fromReference?: boolean;
  /** A Compose list entry (`- NAME=value`): the value is everything after the first "=". */
  readonly listEntry?: boolean;
  /** Set through a YAML merge key (`<<: *env`): written by overriding it in the container's own map, never at the anchor. */
  readonly merged?: boolean;
  /** For valueFrom: what it names, in words ("the Secret \"db\", key \"password\""). */
  readonly referenceSource?: string;
  /** The document range that replacing the whole value rewrites, and how a new value is written there. */
  readonly replace?: { readonly start: number; readonly end: number; readonly render: (value: string) => string };
}

export interface Container {
  /** The service, container or Helm product name. */
  readonly name: string;
  readonly image?: { readonly text: string; readonly start: number; readonly end: number };
  /** The Helm values key (jira, confluence…), when the file is Helm values. */
  readonly helmProduct?: string;
  /** Helm values: the chart's `database.credentials` (where the chart's own password variable comes from). */
  readonly chartCredentials?: { readonly secretName?: string; readonly passwordKey: string; readonly start: number; readonly end: number };
  /** Compose env_file entries: variables may come from there too. */
  readonly envFiles?: readonly string[];
  readonly variables: readonly ContainerVariable[];
  /** Where a new variable goes and how it is written in this file's style; undefined when the file has no place. */
  readonly insert?: { readonly offset: number; readonly render: (name: string, value: string) => string };
  /** The document range of the container (for a finding about the container as a whole). */
  readonly start: number;
  readonly end: number;
}

export interface ContainerFile {
  readonly containers: readonly Container[];
  /** YAML syntax errors (the reader goes on with what it could read), and parts too large to read (`tooLarge`). */
  readonly errors: readonly { readonly message: string; readonly start: number; readonly end: number; readonly tooLarge?: boolean }[];
}

/** A sub-range of a decoded value's map: characters [from, length) of `map`, as a map of their own. */
export function sliceMap(map: SourceMap, from: number, length: number, endOffset: number): SourceMap {
  const outStart: number[] = [];
  const docStart: number[] = [];
  const width: number[] = [];
  for (let k = 0; k < length; k++) {
    const start = map.startOf(from + k);
    const w = map.endOf(from + k) - start;
    const last = outStart.length - 1;
    if (last >= 0 && w === 1 && width[last] === 1 && docStart[last] + (k - outStart[last]) === start) continue;
    outStart.push(k);
    docStart.push(start);
    width.push(w);
  }
  return SourceMap.fromRuns(outStart, docStart, width, length, endOffset);
}

function scalarVariable(text: string, key: string, keyNode: Node | null | undefined, value: Scalar, fromReference = false): ContainerVariable | undefined {
  if (!value.range) return undefined;
  const style = value.type ?? 'PLAIN';
  const [vStart, vEnd] = value.range;
  const decoded =
    typeof value.value === 'string' || typeof value.value === 'number' || typeof value.value === 'boolean' || value.value === null
      ? decodeScalar(text, vStart, vEnd, style)
      : undefined;
  if (!decoded) return undefined;
  const keyRange = keyNode?.range ?? [vStart, vStart];
  return {
    key,
    value: value.value === null ? '' : decoded.value,
    valueMap: decoded.map,
    start: Math.min(keyRange[0], vStart),
    end: vEnd,
    keyStart: keyRange[0],
    keyEnd: keyRange[1],
    valueStart: vStart,
    valueEnd: vEnd,
    valueHasEscapes: style !== 'PLAIN',
    escape: (v) => escapeScalar(v, style),
    fromReference,
    replace: { start: vStart, end: vEnd, render: singleQuoted },
  };
}

/** `NAME=value` in a Compose list entry: the variable is the part after the first "=". */
function listVariable(text: string, item: Scalar): ContainerVariable | undefined {
  if (!item.range || typeof item.value !== 'string') return undefined;
  const style = item.type ?? 'PLAIN';
  const { value, map } = decodeScalar(text, item.range[0], item.range[1], style);
  const eq = value.indexOf('=');
  if (eq <= 0) return undefined;
  const key = value.slice(0, eq);
  const rest = value.slice(eq + 1);
  const valueMap = sliceMap(map, eq + 1, rest.length, map.startOf(value.length));
  return {
    key,
    value: rest,
    valueMap,
    start: item.range[0],
    end: item.range[1],
    keyStart: map.startOf(0),
    keyEnd: map.startOf(eq),
    valueStart: valueMap.startOf(0),
    valueEnd: map.startOf(value.length),
    valueHasEscapes: style !== 'PLAIN',
    escape: (v) => escapeScalar(v, style),
    listEntry: true,
    replace: { start: item.range[0], end: item.range[1], render: (v) => singleQuoted(`${key}=${v}`) },
  };
}

/** A Compose service's `environment:` (map or list). */
function composeVariables(text: string, envNode: unknown, deref: Deref): { variables: ContainerVariable[]; insert?: Container['insert'] } {
  const variables: ContainerVariable[] = [];
  const env = deref(envNode);
  if (yaml().isMap(env)) {
    for (const pair of mergedPairs(env, deref)) {
      const key = yaml().isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      const value = deref(pair.value);
      if (!yaml().isScalar(value)) continue;
      const v = scalarVariable(text, key, pair.key as Node, value);
      if (!v) continue;
      const alias = yaml().isAlias(pair.value) ? (pair.value as Node).range : undefined;
      if (!env.items.includes(pair)) variables.push({ ...v, merged: true, replace: undefined });
      // A value given by an alias (`ATL_JDBC_PASSWORD: *pw`) is rewritten where it is used, never at the anchor.
      else if (alias) variables.push({ ...v, replace: { start: alias[0], end: alias[1], render: singleQuoted } });
      else variables.push(v);
    }
    if (env.flow) return { variables, insert: flowInsert(env, (name, value) => `${name}: ${singleQuoted(value)}`) };
    const last = env.items.at(-1);
    const lastEnd = (last?.value as Node | undefined)?.range?.[1] ?? (last?.key as Node | undefined)?.range?.[1];
    const firstKey = (env.items[0]?.key as Node | undefined)?.range?.[0];
    if (lastEnd !== undefined && firstKey !== undefined) {
      const indent = indentAt(text, firstKey);
      return { variables, insert: { offset: afterLine(text, lastEnd), render: (name, value) => `${indent}${name}: ${singleQuoted(value)}\n` } };
    }
    return { variables };
  }
  if (yaml().isSeq(env)) {
    for (const entry of env.items) {
      const item = deref(entry);
      if (yaml().isScalar(item)) {
        const v = listVariable(text, item);
        if (v) variables.push(v);
      }
    }
    if (env.flow) return { variables, insert: flowInsert(env, (name, value) => singleQuoted(`${name}=${value}`)) };
    const last = env.items.at(-1) as Node | undefined;
    const first = env.items[0] as Node | undefined;
    if (last?.range && first?.range) {
      const dash = text.lastIndexOf('-', first.range[0]);
      const indent = indentAt(text, dash);
      return { variables, insert: { offset: afterLine(text, last.range[1]), render: (name, value) => `${indent}- ${singleQuoted(`${name}=${value}`)}\n` } };
    }
  }
  return { variables };
}

/** A Kubernetes (or Helm values) `env:` list of {name, value} / {name, valueFrom}. */
function kubernetesVariables(text: string, envNode: unknown, deref: Deref): { variables: ContainerVariable[]; insert?: Container['insert'] } {
  const variables: ContainerVariable[] = [];
  const env = deref(envNode);
  if (!yaml().isSeq(env)) return { variables };
  for (const entry of env.items) {
    const item = deref(entry);
    if (!yaml().isMap(item)) continue;
    const name = item.get('name', true);
    if (!yaml().isScalar(name) || typeof name.value !== 'string') continue;
    const value = deref(item.get('value', true));
    if (yaml().isScalar(value)) {
      const v = scalarVariable(text, name.value, name, value);
      if (v) variables.push(v);
    } else if (item.has('valueFrom') && name.range) {
      const empty = SourceMap.identity(name.range[1], 0);
      const from = item.get('valueFrom', true);
      const ref = yaml().isMap(from) ? (from.get('secretKeyRef', true) ?? from.get('configMapKeyRef', true)) : undefined;
      const kind = yaml().isMap(from) && from.has('configMapKeyRef') ? 'ConfigMap' : 'Secret';
      const refName = yaml().isMap(ref) ? scalarText(ref.get('name', true))?.text : undefined;
      const refKey = yaml().isMap(ref) ? scalarText(ref.get('key', true))?.text : undefined;
      const referenceSource = refName !== undefined ? `the ${kind} "${refName}"${refKey !== undefined ? `, key "${refKey}"` : ''}` : undefined;
      variables.push({
        key: name.value,
        value: '',
        valueMap: empty,
        start: name.range[0],
        end: name.range[1],
        keyStart: name.range[0],
        keyEnd: name.range[1],
        valueStart: name.range[1],
        valueEnd: name.range[1],
        valueHasEscapes: false,
        escape: (v) => v,
        fromReference: true,
        ...(referenceSource ? { referenceSource } : {}),
      });
    }
  }
  const first = env.items[0] as Node | undefined;
  const last = env.items.at(-1) as Node | undefined;
  if (first?.range && last?.range) {
    const dash = text.lastIndexOf('-', first.range[0]);
    const indent = indentAt(text, dash);
    return {
      variables,
      insert: { offset: afterLine(text, last.range[1]), render: (name, value) => `${indent}- name: ${name}\n${indent}  value: ${singleQuoted(value)}\n` },
    };
  }
  return { variables };
}

/** Every container of every document: Compose services, Kubernetes pod specs anywhere, Helm values. */
export function readYamlContainers(text: string, form: 'compose' | 'kubernetes' | 'helm'): ContainerFile {
  const containers: Container[] = [];
  const errors: { message: string; start: number; end: number; tooLarge?: boolean }[] = [];
  // Only the parts that mention a product are parsed (a service, a document), each at its place in the text: a large
  // file with a few Atlassian containers costs little. Anchors and aliases may reach across parts: then all of it.
  const chunked = form === 'helm' || /(?:^|[\s:[,-])[&*][^\s,[\]{}]+/m.test(text) ? undefined : relevantChunks(text, form);
  for (const chunk of chunked ?? [{ start: 0, end: text.length, services: false }]) {
    const nodes = structuralCount(text, chunk.start, chunk.end);
    if (nodes > MAX_YAML_NODES) {
      errors.push({
        message: `this part has about ${nodes.toLocaleString('en')} YAML nodes (flow items, aliases, anchors, list entries), more than the ${MAX_YAML_NODES.toLocaleString('en')} this checker reads: it was not read, so nothing in it was checked. Split the file, or check the rendered parts.`,
        start: chunk.start,
        end: Math.min(chunk.end, chunk.start + 1),
        tooLarge: true,
      });
      continue;
    }
    const documents = yaml().parseAllDocuments(chunk.start === 0 && chunk.end === text.length ? text : text.slice(chunk.start, chunk.end), {
      uniqueKeys: false,
    });
    const docs = Array.isArray(documents) ? documents : [];
    for (const doc of docs) {
      if (chunk.start > 0) shiftRanges(doc, chunk.start);
      for (const e of doc.errors) {
        // The parser may place an error at the end of the input (and one past it): kept inside the text.
        const start = Math.min(chunk.start + e.pos[0], text.length);
        errors.push({ message: e.message.split('\n')[0], start, end: Math.min(Math.max(chunk.start + e.pos[1], start + 1), text.length) });
      }
      const root = doc.contents;
      if (!yaml().isMap(root)) continue;
      const deref: Deref = (node) => (yaml().isAlias(node) ? node.resolve(doc) : node);
      if (form === 'compose') {
        // A chunk holds services (the children of services:); the whole file holds services: itself.
        const services = chunk.services ? root : root.get('services', true);
        if (yaml().isMap(services)) readServices(text, services, containers, deref);
      } else if (form === 'helm') readHelm(text, root, containers, deref);
      else collectPodContainers(text, root, containers, deref);
    }
  }
  return { containers, errors };
}

/** Adds `by` to every node range of a document parsed from a slice of the text. */
function shiftRanges(doc: Document.Parsed, by: number): void {
  yaml().visit(doc, (_key, node) => {
    const n = node as { range?: [number, number, number] | null } | null;
    if (n?.range) n.range = [n.range[0] + by, n.range[1] + by, n.range[2] + by];
  });
}

function readServices(text: string, services: YAMLMap, containers: Container[], deref: Deref): void {
  for (const pair of services.items) {
    const value = deref(pair.value);
    if (!yaml().isScalar(pair.key) || !yaml().isMap(value)) continue;
    // A service may itself merge a common block (`<<: *defaults`) holding its image or environment.
    const service = new (yaml().YAMLMap)();
    service.items = mergedPairs(value, deref);
    service.range = value.range;
    const { variables, insert } = composeVariables(text, service.get('environment', true), deref);
    const range = service.range ?? [0, 0];
    const envFile = service.get('env_file', true);
    const envFiles = (yaml().isSeq(envFile) ? envFile.items : [envFile])
      .map((item) => (yaml().isMap(item) ? scalarText(item.get('path', true)) : scalarText(item))?.text)
      .filter((f): f is string => f !== undefined);
    containers.push({
      name: String(pair.key.value),
      image: scalarText(service.get('image', true)),
      variables,
      insert,
      ...(envFiles.length > 0 ? { envFiles } : {}),
      start: pair.key.range?.[0] ?? range[0],
      end: range[1],
    });
  }
}

/** The charts' `database.credentials`: the Secret their templates read the password variable from (valueFrom). */
function chartCredentials(root: YAMLMap): Container['chartCredentials'] {
  const database = root.get('database', true);
  const credentials = yaml().isMap(database) ? database.get('credentials', true) : undefined;
  if (!yaml().isMap(credentials)) return undefined;
  const secretName = scalarText(credentials.get('secretName', true));
  const passwordKey = scalarText(credentials.get('passwordSecretKey', true))?.text ?? 'password';
  const range = secretName ?? { start: credentials.range?.[0] ?? 0, end: credentials.range?.[0] ?? 0 };
  return { ...(secretName && secretName.text !== '' ? { secretName: secretName.text } : {}), passwordKey, start: range.start, end: range.end };
}

function readHelm(text: string, root: YAMLMap, containers: Container[], deref: Deref): void {
  const credentials = chartCredentials(root);
  const image = root.get('image', true);
  const repository = yaml().isMap(image) ? scalarText(image.get('repository', true)) : undefined;
  const tag = yaml().isMap(image) ? scalarText(image.get('tag', true)) : undefined;
  for (const product of HELM_KEYS) {
    const section = root.get(product, true);
    if (!yaml().isMap(section)) continue;
    const { variables, insert } = kubernetesVariables(text, section.get('additionalEnvironmentVariables', true), deref);
    const range = section.range ?? [0, 0];
    const imageText = repository ? { ...repository, text: tag ? `${repository.text}:${tag.text}` : repository.text } : undefined;
    containers.push({
      name: product,
      helmProduct: product,
      image: imageText,
      variables,
      insert,
      ...(credentials ? { chartCredentials: credentials } : {}),
      start: range[0],
      end: range[1],
    });
  }
}

/** Kubernetes: any `containers:` / `initContainers:` list, at any depth (Pod, Deployment, StatefulSet, CronJob…). */
function collectPodContainers(text: string, node: unknown, out: Container[], deref: Deref, depth = 0): void {
  if (depth > 64) return;
  if (yaml().isMap(node)) {
    for (const pair of node.items) {
      if (!yaml().isPair(pair)) continue;
      const key = yaml().isScalar(pair.key) ? pair.key.value : undefined;
      if ((key === 'containers' || key === 'initContainers') && yaml().isSeq(pair.value)) {
        for (const c of pair.value.items) {
          if (!yaml().isMap(c)) continue;
          const { variables, insert } = kubernetesVariables(text, c.get('env', true), deref);
          const name = scalarText(c.get('name', true))?.text ?? 'container';
          const range = c.range ?? [0, 0];
          out.push({ name, image: scalarText(c.get('image', true)), variables, insert, start: range[0], end: range[1] });
        }
      } else collectPodContainers(text, pair.value, out, deref, depth + 1);
    }
  } else if (yaml().isSeq(node)) for (const item of node.items) collectPodContainers(text, item, out, deref, depth + 1);
}

/** An env file value in single quotes (literal), or in double quotes when it holds a quote or a backslash. */
const envQuoted = (v: string) => (/['\\]/.test(v) ? `"${escapeEnvValue(v, 'double')}"` : `'${v}'`);

/** An env file is one container's environment; new variables go at its end. */
export function readEnvContainers(text: string): ContainerFile {
  const variables: ContainerVariable[] = readEnvFile(text).map((v) => ({
    ...v,
    escape: (value: string) => escapeEnvValue(value, v.quote),
    replace: { start: v.valueStart, end: v.valueEnd, render: envQuoted },
  }));
  const offset = text.length;
  const newline = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  return {
    containers: [
      {
        name: 'env file',
        variables,
        insert: { offset, render: (name, value) => `${newline}${name}=${envQuoted(value)}\n` },
        start: 0,
        end: text.length,
      },
    ],
    errors: [],
  };
}
