/**
 * A small writer of Terraform's HCL, formatted as `terraform fmt` formats it: two-space indents, the `=` of
 * consecutive one-line attributes aligned (an attribute whose value spans lines ends such a run and is not aligned),
 * one blank line between top-level blocks. The tests check the output with HashiCorp's own formatter
 * (@cdktf/hcl-tools) and parser (@cdktf/hcl2json).
 */

/** An expression written as is: a reference (`aws_s3_bucket.source.id`) or a function call. */
export interface Raw {
  raw: string;
}

/** `jsonencode(value)`, the value written as an HCL object so policies read like the JSON they encode. */
export interface JsonEncode {
  jsonencode: unknown;
}

export type Value = string | number | boolean | Raw | JsonEncode | Value[] | { [key: string]: Value };

export interface Block {
  type: string;
  labels?: string[];
  body: BodyItem[];
  /** Comment lines written above the block. */
  comment?: string[];
}

export type BodyItem = { name: string; value: Value } | Block;

export const raw = (text: string): Raw => ({ raw: text });
export const attr = (name: string, value: Value): BodyItem => ({ name, value });
export const block = (type: string, labels: string[], body: BodyItem[], comment?: string[]): Block => ({ type, labels, body, ...(comment ? { comment } : {}) });

const isBlock = (item: BodyItem): item is Block => 'type' in item && 'body' in item;
const isRaw = (value: unknown): value is Raw => typeof value === 'object' && value !== null && 'raw' in value;
const isJsonEncode = (value: unknown): value is JsonEncode => typeof value === 'object' && value !== null && 'jsonencode' in value;

/** An HCL string literal: JSON escapes, plus `${` and `%{` escaped so no text is read as a template. */
export const quote = (text: string): string => JSON.stringify(text).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const objectKey = (key: string): string => (IDENTIFIER.test(key) ? key : quote(key));

/** The lines of a value; the first is written after `name = `, the others are already indented. */
function valueLines(value: unknown, indent: string): string[] {
  if (isRaw(value)) return [value.raw];
  if (isJsonEncode(value)) {
    const inner = valueLines(value.jsonencode, indent);
    inner[0] = `jsonencode(${inner[0]}`;
    inner[inner.length - 1] = `${inner[inner.length - 1]})`;
    return inner;
  }
  if (typeof value === 'string') return [quote(value)];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) {
    const items = value.map((item) => valueLines(item, `${indent}  `));
    if (items.every((lines) => lines.length === 1) && value.every((item) => !isPlainObject(item))) return [`[${items.map((l) => l[0]).join(', ')}]`];
    return ['[', ...listLines(items, indent), `${indent}]`];
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return ['{}'];
    return [
      '{',
      ...attributeLines(
        entries.map(([key, item]) => ({ name: objectKey(key), lines: valueLines(item, `${indent}  `) })),
        `${indent}  `,
      ),
      `${indent}}`,
    ];
  }
  throw new Error(`cannot write ${String(value)} as HCL`);
}

const isPlainObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isRaw(value) && !isJsonEncode(value);

/** Each item of a multi-line list on its own line(s), with the trailing comma terraform fmt keeps. */
function listLines(items: string[][], indent: string): string[] {
  return items.flatMap((lines) => {
    const out = [`${indent}  ${lines[0]}`, ...lines.slice(1)];
    out[out.length - 1] = `${out[out.length - 1]},`;
    return out;
  });
}

/** Attributes with their `=` aligned over each run of one-line values, as terraform fmt does. */
function attributeLines(attributes: { name: string; lines: string[] }[], indent: string): string[] {
  const out: string[] = [];
  let run: { name: string; lines: string[] }[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map((a) => a.name.length));
    for (const a of run) out.push(`${indent}${a.name.padEnd(width)} = ${a.lines[0]}`);
    run = [];
  };
  for (const attribute of attributes) {
    if (attribute.lines.length === 1) {
      run.push(attribute);
      continue;
    }
    flush();
    out.push(`${indent}${attribute.name} = ${attribute.lines[0]}`, ...attribute.lines.slice(1));
  }
  flush();
  return out;
}

function bodyLines(items: BodyItem[], indent: string): string[] {
  const out: string[] = [];
  let attributes: { name: string; lines: string[] }[] = [];
  const flush = (): void => {
    out.push(...attributeLines(attributes, indent));
    attributes = [];
  };
  for (const item of items) {
    if (isBlock(item)) {
      flush();
      out.push(...blockLines(item, indent));
    } else {
      attributes.push({ name: item.name, lines: valueLines(item.value, indent) });
    }
  }
  flush();
  return out;
}

function blockLines(item: Block, indent: string): string[] {
  const header = [item.type, ...(item.labels ?? []).map(quote)].join(' ');
  const comments = (item.comment ?? []).map((line) => `${indent}# ${line}`.trimEnd());
  if (item.body.length === 0) return [...comments, `${indent}${header} {}`];
  return [...comments, `${indent}${header} {`, ...bodyLines(item.body, `${indent}  `), `${indent}}`];
}

/** A whole file: top-level blocks separated by one blank line, comment lines first. */
export function writeHcl(blocks: Block[], header: string[] = []): string {
  const head = header.length > 0 ? `${header.map((line) => `# ${line}`.trimEnd()).join('\n')}\n\n` : '';
  return `${head}${blocks.map((b) => blockLines(b, '').join('\n')).join('\n\n')}\n`;
}
