import * as assert from 'assert';
import * as fs from 'fs';
import { productFileGlobs } from '../../src/core/model/filePatterns';
import * as path from 'path';
import { CONTAINER_FILE_FORMS, CONTAINER_MENTION, HELM_KEYS, IMAGES, formByName, identifyContainer } from '../../src/core/model/containers';
import { PROFILES, PRODUCT_FILE_NAMES } from '../../src/core/model/products';
import { TEMPLATE_DIALECTS, TEMPLATE_SUFFIXES } from '../../src/core/templates/template';

const ROOT = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] };

/** A glob of the forms VS Code uses ({a,b}, *) as a regular expression on a base name. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '[^/]*';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',') out += '|';
    else out += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const workspaceGlobs = pkg.activationEvents
  .filter((e) => e.startsWith('workspaceContains:**/'))
  .map((e) => globToRegExp(e.slice('workspaceContains:**/'.length)));
const activatedBy = (name: string) => workspaceGlobs.some((g) => g.test(name));

describe("the model's tables drive the globs, the activation events and the hook", () => {
  it('every product file name, and each with every template suffix, activates the extension', () => {
    for (const name of PRODUCT_FILE_NAMES) {
      assert.ok(activatedBy(name), name);
      for (const suffix of Object.keys(TEMPLATE_SUFFIXES)) assert.ok(activatedBy(`${name}${suffix}`), `${name}${suffix}`);
    }
  });

  it('every Compose and env file name of the forms table activates it (other YAML activates by language)', () => {
    for (const form of CONTAINER_FILE_FORMS.filter((f) => f.form === 'compose' || f.form === 'env')) {
      for (const glob of form.globs) {
        const example = glob.replace(/\*/g, '');
        assert.ok(activatedBy(example), `${form.form}: ${example}`);
        assert.strictEqual(formByName(example), form.form, example);
      }
    }
    for (const language of ['yaml', 'dockercompose', 'helm']) assert.ok(pkg.activationEvents.includes(`onLanguage:${language}`), language);
  });

  it("product templates open in their product file's language (properties, XML), from the model's names and suffixes", () => {
    const languages = (pkg as unknown as { contributes: { languages: { id: string; filenamePatterns?: string[] }[] } }).contributes.languages;
    const suffixes = Object.keys(TEMPLATE_SUFFIXES)
      .map((s) => s.slice(1))
      .join(',');
    const byFormat = (format: string) =>
      PROFILES.filter((p) => p.format === format)
        .flatMap((p) => p.fileNames)
        .join(',');
    assert.deepStrictEqual(languages.find((l) => l.id === 'properties')?.filenamePatterns, [`*${byFormat('properties')}.{${suffixes}}`]);
    assert.deepStrictEqual(languages.find((l) => l.id === 'xml')?.filenamePatterns, [`*{${byFormat('xml')}}.{${suffixes}}`]);
  });

  it("the pre-commit hook's files pattern takes every product file name, the former ones too", () => {
    const hook = fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    const files = new RegExp(/^\s*files:\s*(.+)$/m.exec(hook)![1].trim());
    for (const profile of PROFILES)
      for (const name of [...profile.fileNames, ...(profile.formerFileNames ?? [])]) assert.ok(files.test(`home/shared/${name}`), name);
    // Templates and container deployments too: every pattern of the model (core/model/filePatterns).
    for (const glob of productFileGlobs()) assert.ok(files.test(`deploy/${glob.replace(/\*/g, 'x')}`), glob);
    for (const name of ['docker-compose', 'docker-compose.yml.tpl', 'jira-values.yaml', 'stack.yml']) assert.ok(files.test(`deploy/${name}`), name);
  });

  it("the associations setting's pattern names every product and template dialect of the tables", () => {
    const setting = (pkg as unknown as { contributes: { configuration: { properties: Record<string, { additionalProperties: { pattern: string } }> } } })
      .contributes.configuration.properties['encryptedProperties.files.associations'];
    const pattern = new RegExp(setting.additionalProperties.pattern);
    for (const profile of PROFILES) {
      assert.ok(pattern.test(profile.product), profile.product);
      for (const dialect of TEMPLATE_DIALECTS) assert.ok(pattern.test(`${profile.product}:${dialect}`), `${profile.product}:${dialect}`);
    }
    assert.ok(!pattern.test('stash'));
  });

  it('one detector: the image, else the Helm key, else the variable names; every image and Helm key is mentioned', () => {
    assert.deepStrictEqual(identifyContainer({ image: 'registry.example:5000/atlassian/confluence:8.9.1', helmKey: 'jira' }), {
      product: 'confluence',
      version: '8.9.1',
      family: 'atl',
    });
    assert.deepStrictEqual(identifyContainer({ image: 'nginx:1', helmKey: 'bitbucket' }), { product: 'bitbucket', family: 'bitbucket' });
    assert.deepStrictEqual(identifyContainer({ names: ['ATL_JDBC_PASSWORD'] }), { family: 'atl' });
    assert.deepStrictEqual(identifyContainer({ names: ['JDBC_PASSWORD_DECRYPTER_CLASSNAME'] }), { product: 'bitbucket', family: 'bitbucket' });
    assert.deepStrictEqual(identifyContainer({ names: ['PATH'] }), {});
    for (const image of Object.keys(IMAGES)) assert.ok(CONTAINER_MENTION.test(`image: atlassian/${image}:1`), image);
    for (const key of HELM_KEYS) assert.ok(CONTAINER_MENTION.test(`${key}:\n  image: x`), key);
  });
});
