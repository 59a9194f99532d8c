/**
 * The wizard's review, readable in a quick pick whose rows do not wrap: each written line becomes its setting's name
 * (a separator) and its value, a reference's JSON one member per row. The diff beside shows the lines whole. Pure.
 */
export interface ReviewRow {
  /** The setting the row belongs to, with how its value is written ("jdbc.password = {ENC} + JSON"). */
  readonly group: string;
  readonly label: string;
}

function parts(line: string): { name: string; value: string } | undefined {
  const property = /^\s*<property\s+name="([^"]+)"\s*>(.*)<\/property>\s*$/.exec(line);
  if (property) return { name: property[1], value: property[2] };
  const element = /^\s*<([\w.-]+)>(.*)<\/\1>\s*$/.exec(line);
  if (element) return { name: `<${element[1]}>`, value: element[2] };
  const entry = /^\s*([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
  if (entry) return { name: entry[1], value: entry[2] };
  return undefined;
}

function members(json: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return Object.entries(parsed).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  } catch {
    return undefined;
  }
}

export function reviewRows(lines: readonly string[]): ReviewRow[] {
  const rows: ReviewRow[] = [];
  for (const line of lines) {
    const p = parts(line);
    if (!p) {
      rows.push({ group: 'Lines to write', label: line });
      continue;
    }
    const enc = p.value.startsWith('{ENC}');
    const json = members(
      enc
        ? p.value.slice('{ENC}'.length)
        : p.value
            .replace(/&quot;/g, '"')
            .replace(/&amp;/g, '&')
            .replace(/&lt;/g, '<'),
    );
    if (json) {
      const group = `${p.name} = ${enc ? '{ENC} + ' : ''}JSON`;
      for (const member of json) rows.push({ group, label: member });
    } else {
      rows.push({ group: `${p.name} =`, label: p.value });
    }
  }
  return rows;
}
