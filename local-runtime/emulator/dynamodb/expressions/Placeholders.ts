import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import type { PathNode } from './ast.js';
import type { DocumentPath, PathElement } from './compiled.js';
import { ExpressionError } from './expressionError.js';

/** DynamoDB's limit on path depth: a path may have at most 32 steps. */
const MAX_NESTING_LEVELS = 32;

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all of its expressions, and a
 * record of which placeholders they used: DynamoDB refuses a placeholder no expression uses.
 */
class Placeholders {
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<AttributeMap>;
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    names: Readonly<Record<string, string>> | undefined,
    values: Readonly<AttributeMap> | undefined,
  ) {
    this.names = names ?? {};
    this.values = values ?? {};
  }

  /** Whether `#name` is defined, without marking it used. */
  hasName(placeholder: string): boolean {
    return Object.hasOwn(this.names, placeholder);
  }

  name(placeholder: string): string {
    const name = this.peekName(placeholder);
    this.usedNames.add(placeholder);
    return name;
  }

  /** The name a `#name` placeholder stands for, without marking it used. */
  peekName(placeholder: string): string {
    if (!this.hasName(placeholder)) {
      throw new ExpressionError(
        `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`,
      );
    }
    return this.names[placeholder] as string;
  }

  /** The value a `:value` placeholder stands for, if defined, without marking it used. */
  peekValue(placeholder: string): AttributeValue | undefined {
    return Object.hasOwn(this.values, placeholder) ? this.values[placeholder] : undefined;
  }

  value(placeholder: string): AttributeValue {
    const value = this.peekValue(placeholder);
    if (value === undefined) {
      throw new ExpressionError(
        `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`,
      );
    }
    this.usedValues.add(placeholder);
    return value;
  }

  /** Resolves a path's `#names` and checks its depth. */
  path(node: PathNode): DocumentPath {
    const path: PathElement[] = node.parts.map((part) => {
      switch (part.kind) {
        case 'name':
          return part.name;
        case 'placeholder':
          return this.name(part.placeholder);
        default:
          return Number(part.digits);
      }
    });
    if (path.length > MAX_NESTING_LEVELS) {
      throw new ExpressionError(
        `The document path has too many nesting levels; nesting levels: ${path.length}`,
      );
    }
    return path;
  }

  /** A path's `#names` resolved without marking them used, for checks DynamoDB makes before binding. */
  peekPath(node: PathNode): DocumentPath {
    return node.parts.map((part) => {
      if (part.kind === 'name') return part.name;
      if (part.kind === 'index') return Number(part.digits);
      return this.peekName(part.placeholder);
    });
  }

  unusedNames(): string[] {
    return Object.keys(this.names).filter((placeholder) => !this.usedNames.has(placeholder));
  }

  unusedValues(): string[] {
    return Object.keys(this.values).filter((placeholder) => !this.usedValues.has(placeholder));
  }
}

export { Placeholders };
