/** The rule for the setting that names the secret store class, in any format. Pure. */
import { CIPHER_CLASSES, classifyCipher } from '../model/cipherClasses';
import { Setting } from '../model/setting';
import { nearest } from '../text/nearest';
import { CipherSetting, Context, valueSpan } from './analysis';

/** Classifies a cipher class entry and reports whitespace, near-miss and custom classes. */
export function checkCipherEntry(entry: Setting, legacy: boolean, ctx: Context): CipherSetting {
  const className = entry.value;
  const trimmed = className.trim();
  const type = classifyCipher(trimmed);
  const span = valueSpan(entry);
  if (trimmed !== className) {
    ctx.findings.push({
      code: 'cipher-whitespace',
      severity: 'warning',
      start: span.start,
      end: span.end,
      message: `The class name has surrounding whitespace${ctx.format.name === 'properties' ? ', which Properties.load keeps' : ''}; whether the product trims it is unconfirmed, and an untrimmed name fails to load. Remove the whitespace.`,
      fixes: [
        {
          title: 'Remove surrounding whitespace',
          isPreferred: true,
          edits: [{ start: entry.valueStart, end: entry.valueEnd, newText: ctx.format.escapeValue(trimmed) }],
        },
      ],
    });
  }
  if (type === 'custom') {
    const suggestion =
      nearest(
        trimmed,
        CIPHER_CLASSES.map((c) => c.className),
        6,
      ) ?? nearestBySimpleName(trimmed);
    if (suggestion) {
      ctx.findings.push({
        code: 'cipher-class-typo',
        severity: 'warning',
        start: span.start,
        end: span.end,
        message:
          `"${trimmed}" is not a class the product ships, so it will be loaded as a custom store and start-up fails with "Couldn't initiate class" unless you provide it. ` +
          `Did you mean ${suggestion}?`,
        fixes: [{ title: `Change to ${suggestion}`, isPreferred: true, edits: [{ start: entry.valueStart, end: entry.valueEnd, newText: suggestion }] }],
      });
    } else {
      ctx.findings.push({
        code: 'cipher-custom',
        severity: 'info',
        start: span.start,
        end: span.end,
        message: `"${trimmed}" is a custom secret store: the product loads it by reflection, so its jar must be in the product's WEB-INF/lib (copy it again after every upgrade). Its values cannot be checked here.`,
      });
    }
  }
  return { entry, className: trimmed, type, legacy };
}

function nearestBySimpleName(className: string): string | undefined {
  const simple = className.split('.').pop() ?? className;
  const match = CIPHER_CLASSES.filter((c) => !c.loadsAs).find((c) => c.className.split('.').pop()!.toLowerCase() === simple.toLowerCase());
  return match?.className;
}
