import { ts } from '@ts-morph/common';
import type { Range } from '../core/types.js';

/** A JSON value with the character range it occupies in the text it was parsed from. */
export interface LocatedValue {
  value: unknown;
  range: Range;
  /** Object members by name, each with the range of the whole `"name": value` pair. */
  members?: Map<string, { value: LocatedValue; range: Range }>;
  items?: LocatedValue[];
}

export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

function locate(node: ts.Expression, file: ts.JsonSourceFile): LocatedValue {
  const range = { start: node.getStart(file), end: node.getEnd() };
  if (ts.isObjectLiteralExpression(node)) {
    const members = new Map<string, { value: LocatedValue; range: Range }>();
    const value: Record<string, unknown> = {};
    for (const property of node.properties) {
      if (!ts.isPropertyAssignment(property) || !(ts.isStringLiteral(property.name) || ts.isIdentifier(property.name))) continue;
      const child = locate(property.initializer, file);
      members.set(property.name.text, { value: child, range: { start: property.getStart(file), end: property.getEnd() } });
      value[property.name.text] = child.value;
    }
    return { value, range, members };
  }
  if (ts.isArrayLiteralExpression(node)) {
    const items = node.elements.map((element) => locate(element, file));
    return { value: items.map((item) => item.value), range, items };
  }
  if (ts.isStringLiteral(node)) return { value: node.text, range };
  if (ts.isNumericLiteral(node)) return { value: Number(node.text), range };
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return { value: -Number(node.operand.text), range };
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword) return { value: true, range };
  if (node.kind === ts.SyntaxKind.FalseKeyword) return { value: false, range };
  return { value: null, range };
}

/** Parses JSON text keeping the position of every value; throws JsonSyntaxError with a line and column on bad JSON. */
export function parseLocatedJson(text: string): LocatedValue {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new JsonSyntaxError((error as Error).message);
  }
  const file = ts.parseJsonText('input.json', text);
  const statement = file.statements[0];
  if (!statement) throw new JsonSyntaxError('empty document');
  return locate(statement.expression, file);
}
