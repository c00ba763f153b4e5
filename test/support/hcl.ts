// Reads an exported main.tf with HashiCorp's own HCL parser (@cdktf/hcl2json) and turns each `jsonencode(...)` back
// into the JSON value it encodes, from the parser's expression tree: references come back as "${aws_kms_key.x.arn}".
import { getExpressionAst, parse } from '@cdktf/hcl2json';

interface AstNode {
  type: string;
  children: AstNode[];
  meta?: { type?: string; value?: unknown; fullAccessor?: string };
  range: { start: { byte: number }; end: { byte: number } };
}

/** main.tf as hcl2json gives it: blocks by type (and labels), each a list of bodies; expressions as "${...}" text. */
export interface ParsedHcl {
  resource: Record<string, Record<string, Record<string, unknown>[]>>;
  provider: Record<string, Record<string, unknown>[]>;
  variable: Record<string, Record<string, unknown>[]>;
  import?: Record<string, unknown>[];
}

/** A reference as hcl2json writes it: `ref('aws.source')` is the text "${aws.source}". */
export const ref = (address: string): string => `$${'{'}${address}}`;

export const parseHcl = async (text: string): Promise<ParsedHcl> => (await parse('main.tf', text)) as ParsedHcl;

/** `${jsonencode({...})}` as hcl2json gives an attribute, decoded into the value. */
export async function undoJsonencode(attribute: string): Promise<unknown> {
  const expression = attribute.replace(/^\$\{/, '').replace(/\}$/, '');
  if (!expression.startsWith('jsonencode(')) throw new Error(`not a jsonencode(...) call: ${expression.slice(0, 40)}`);
  const ast = (await getExpressionAst('main.tf', expression)) as AstNode;
  return evaluate(functionArgument(ast), expression);
}

const functionArgument = (node: AstNode): AstNode => (node.type === 'object' || node.type === 'tuple' ? node : functionArgument(node.children[0]!));

function evaluate(node: AstNode, source: string): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < node.children.length; i += 2) out[keyText(node.children[i]!, source)] = evaluate(node.children[i + 1]!, source);
      return out;
    }
    case 'tuple':
      return node.children.map((child) => evaluate(child, source));
    case 'template':
      return node.children.map((child) => String(evaluate(child, source))).join('');
    case 'literalValue':
      return node.meta?.type === 'number' ? Number(node.meta.value) : node.meta?.type === 'bool' ? node.meta.value === 'true' : node.meta?.value;
    case 'scopeTraversal':
      return `\${${node.meta?.fullAccessor}}`;
    default:
      throw new Error(`unexpected HCL expression ${node.type}: ${source.slice(node.range.start.byte, node.range.end.byte)}`);
  }
}

function keyText(node: AstNode, source: string): string {
  const template = node.children.find((child) => child.type === 'template');
  return template ? String(evaluate(template, source)) : source.slice(node.range.start.byte, node.range.end.byte);
}
