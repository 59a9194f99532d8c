/**
 * The edit planner for Jira, Confluence, Bamboo and Crowd: sets the product's own class and password elements to
 * the AWS store and the reference JSON (XML-escaped), touching nothing else. Pure; idempotent.
 */
import { TextEdit } from '../diagnostics';
import { applyEdits } from './applyEdits';
import { AWS_STORE } from '../model/cipherClasses';
import { detectEol } from '../text/propertiesEscape';
import { ProductProfile } from '../model/products';
import { escapeXmlText, readXml, XmlElement } from '../xml/xmlReader';
import { AwsSecretTarget, Plan, referenceJson } from './awsSecretPlan';
import { inForce } from '../templates/inForce';
import type { MaskedTemplate } from '../templates/template';

/** The whitespace before the element on its line (to indent a new sibling the same way). */
function indentOf(text: string, element: XmlElement): string {
  const lineStart = text.lastIndexOf('\n', element.start - 1) + 1;
  const before = text.slice(lineStart, element.start);
  return /^[ \t]*$/.test(before) ? before : '';
}

/**
 * The edit that gives an element `content`: between its tags, or, for a self-closing element (`<password/>`), the
 * element rewritten as a start tag (its attributes kept), the content and an end tag.
 */
function setContent(text: string, element: XmlElement, content: string): TextEdit {
  if (element.contentStart === element.contentEnd && text.slice(element.start, element.end).endsWith('/>')) {
    const startTag = text.slice(element.start, element.end - 2).replace(/\s+$/, '');
    return { start: element.start, end: element.end, newText: `${startTag}>${content}</${text.slice(element.nameStart, element.nameEnd)}>` };
  }
  return { start: element.contentStart, end: element.contentEnd, newText: content };
}

export function planXmlAwsSecret(
  text: string,
  target: AwsSecretTarget,
  profile: ProductProfile,
  template?: MaskedTemplate,
): Plan | { kind: 'error'; message: string } {
  // A template is read masked (tags as spaces, expressions as placeholders, same offsets).
  const doc = readXml(template?.text ?? text);
  if (doc.error) return { kind: 'error', message: `the file is not well-formed XML (${doc.error.message}); fix it first` };
  const eol = detectEol(text);
  const json = escapeXmlText(referenceJson(target));
  const classSetting = profile.cipherSettings[profile.cipherSettings.length - 1].name;
  const password = profile.passwordSetting;
  // Jira keeps them as elements of <jdbc-datasource>; the others as <property name="…"> in <properties>.
  const own = profile.container;
  const classLine = own ? `<${classSetting}>${AWS_STORE}</${classSetting}>` : `<property name="${classSetting}">${AWS_STORE}</property>`;
  const passwordLine = own ? `<${password}>${json}</${password}>` : `<property name="${password}">${json}</property>`;

  const container = own
    ? doc.elements.find((e) => e.name === own && e.parent === profile.rootElement)
    : doc.elements.find((e) => e.name === 'properties' && e.depth === 2);
  if (!container) return { kind: 'error', message: own ? `no <${own}> element under <${profile.rootElement}>` : 'no <properties> element under the root' };
  const inside = (e: XmlElement) => e.start > container.start && e.end <= container.contentEnd;
  const setting = (name: string) => (e: XmlElement) =>
    inside(e) && (own ? e.name === name && e.parent === own : e.name === 'property' && e.attributes.name === name);
  const classEls = doc.elements.filter(setting(classSetting));
  const passwordEls = doc.elements.filter(setting(password));

  const edits: TextEdit[] = [];
  let replacedClass: string | undefined;
  // The elements in force in some rendering: the last, and in a template the last of each exclusive branch.
  const exclusive = template?.exclusive;
  const classEl = classEls.at(-1);
  const passwordEl = passwordEls.at(-1);
  for (const el of inForce(classEls, exclusive)) {
    const current = text.slice(el.contentStart, el.contentEnd);
    if (current.trim() !== AWS_STORE) {
      if (current.trim() !== '') replacedClass = current.trim();
      edits.push(setContent(text, el, AWS_STORE));
    }
  }
  if (passwordEl) {
    const kept = inForce(passwordEls, exclusive);
    for (const el of kept) if (text.slice(el.contentStart, el.contentEnd) !== json) edits.push(setContent(text, el, json));
    if (!classEl) {
      // Before the first password, or before the outermost template block holding it (so every branch has it).
      const first = kept[0];
      const at = template ? Math.min(first.start, template.outerBlockStart(first.start)) : first.start;
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, at));
      const indent = indentOf(text, first);
      edits.push(
        onOwnLine
          ? { start: lineStart, end: lineStart, newText: `${indent}${classLine}${eol}` }
          : { start: at, end: at, newText: `${classLine}${eol}${indent}` },
      );
    }
  } else {
    // Before the container's end tag, indented like its last child (or one step deeper than the container).
    const lastChild = doc.elements.filter((e) => inside(e) && e.depth === container.depth + 1).at(-1);
    const indent = lastChild ? indentOf(text, lastChild) : indentOf(text, container) + '  ';
    const lineStart = text.lastIndexOf('\n', container.contentEnd - 1) + 1;
    const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, container.contentEnd));
    const at = onOwnLine ? lineStart : container.contentEnd;
    const lines = [...(classEl ? [] : [classLine]), passwordLine].map((l) => `${indent}${l}`).join(eol);
    edits.push({ start: at, end: at, newText: onOwnLine ? `${lines}${eol}` : `${eol}${lines}${eol}` });
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const newText = applyEdits(text, edits);
  return { kind: 'edits', edits: newText === text ? [] : edits, newText, changed: newText !== text, lines: [classLine, passwordLine], replacedClass };
}
