/**
 * A 10,000-line Jinja2 bitbucket.properties.j2 (as an Ansible role keeps it) against the same file rendered, without
 * template syntax. Budget: masked and validated in at most 1.5× the time of the rendered file.
 */
import { analyzeFile } from '../../src/core/analyzeFile';
import { generateProperties, time } from './validateBench';

/** The template and its rendering: every fifth plain value from a variable, branches every 500 lines, comments. */
export function generateTemplate(lines: number): { template: string; rendered: string } {
  const template: string[] = [];
  const rendered: string[] = [];
  generateProperties(lines)
    .split('\n')
    .forEach((line, i) => {
      if (i % 500 === 250) {
        template.push(
          `{% if feature_${i} | default(false) %}`,
          `plugin.feature${i}.enabled=true`,
          '{% else %}',
          `plugin.feature${i}.enabled=false`,
          '{% endif %}',
        );
        rendered.push('', `plugin.feature${i}.enabled=true`, '', '', '');
      } else if (i % 50 === 25) {
        template.push(`{# the settings of group ${i} come from group_vars #}`);
        rendered.push('');
      }
      const m = /^(plugin\.setting\.number\d+)=value (\d+) with some text: a=b, c$/.exec(line);
      if (m && Number(m[2]) % 5 === 0) {
        template.push(`${m[1]}={{ setting_${m[2]} | default('x') }}`);
        rendered.push(`${m[1]}=value ${m[2]}`);
      } else {
        template.push(line);
        rendered.push(line);
      }
    });
  return { template: template.join('\n'), rendered: rendered.join('\n') };
}

export function runTemplateBench(): { template: number; rendered: number; failures: string[] } {
  const { template, rendered } = generateTemplate(10_000);
  // The template and its rendering say the same (the generator's {ENC} on plugin keys gives one warning each).
  const check = analyzeFile(template, { fileName: 'bitbucket.properties.j2' });
  const plain = analyzeFile(rendered, { fileName: 'bitbucket.properties' });
  const summary = (a: typeof check) => a.findings.map((f) => f.code).join(',');
  if (summary(check) !== summary(plain) || check.references.length !== plain.references.length) {
    throw new Error(`the template and its rendering should get the same findings: ${summary(check).slice(0, 200)} / ${summary(plain).slice(0, 200)}`);
  }
  // Interleaved rounds, so that a burst of load on the machine hits both alike.
  const t: number[] = [];
  const r: number[] = [];
  for (let round = 0; round < 5; round++) {
    t.push(time(() => analyzeFile(template, { fileName: 'bitbucket.properties.j2' }), 9));
    r.push(time(() => analyzeFile(rendered, { fileName: 'bitbucket.properties' }), 9));
  }
  const tm = t.sort((a, b) => a - b)[2];
  const rm = r.sort((a, b) => a - b)[2];
  return {
    template: tm,
    rendered: rm,
    failures: tm > 1.5 * rm ? [`the 10,000-line Jinja2 template took ${tm.toFixed(2)} ms, more than 1.5× the rendered file's ${rm.toFixed(2)} ms`] : [],
  };
}
