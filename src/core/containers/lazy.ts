/** What the rest of the core uses of the container readers and rules: the entry of their own bundle (dist/containers.js). */
export { analyzeContainers } from './analyze';
export { readEnvContainers, readYamlContainers } from './containers';
export { strictYamlErrors } from './yamlLib';
