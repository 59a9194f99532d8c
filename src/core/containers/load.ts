/**
 * The container readers and rules, required on the first container file: a workspace without Compose, Kubernetes,
 * Helm or env files never loads them, nor the yaml library (scripts/build.mjs bundles them as dist/containers.js).
 */
import type * as Containers from './lazy';

let loaded: typeof Containers | undefined;

export function containers(): typeof Containers {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./lazy') as typeof Containers);
}
