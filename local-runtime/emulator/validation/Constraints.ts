import { validationException } from '../errors.js';

/**
 * Collects the constraint failures of one request and reports them the way DynamoDB's front end does:
 * `1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null`,
 * several joined with "; ". Members are named as DynamoDB names them (lower camel case).
 */
class Constraints {
  readonly #failures: string[] = [];

  /** Records a failed constraint for `member` holding `value`. */
  fail(member: string, value: unknown, constraint: string): void {
    this.#failures.push(
      `Value ${describe(value)} at '${member}' failed to satisfy constraint: ${constraint}`,
    );
  }

  /**
   * Records a failed constraint in the wording of DynamoDB's newer validation framework, which names the
   * member as the API does (`RequestItems.<table>.member.Keys`) and does not echo its value:
   * `Value at 'RequestItems.t.member.Keys' failed to satisfy constraint: …`.
   */
  failUnechoed(member: string, constraint: string): void {
    this.#failures.push(`Value at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  notNull(member: string, value: unknown): void {
    if (value === undefined || value === null) this.fail(member, null, 'Member must not be null');
  }

  tableName(member: string, value: unknown): void {
    if (typeof value !== 'string') {
      this.notNull(member, value);
      return;
    }
    if (!/^[a-zA-Z0-9_.-]+$/.test(value)) {
      this.fail(member, value, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
    }
    if (value.length < 3) this.fail(member, value, 'Member must have length greater than or equal to 3');
    if (value.length > 255) this.fail(member, value, 'Member must have length less than or equal to 255');
  }

  oneOf(member: string, value: unknown, allowed: readonly string[]): void {
    if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
      this.fail(member, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
  }

  range(member: string, value: unknown, min: number, max: number): void {
    if (typeof value !== 'number') return;
    if (value < min) this.fail(member, value, `Member must have value greater than or equal to ${min}`);
    if (value > max) this.fail(member, value, `Member must have value less than or equal to ${max}`);
  }

  length(member: string, value: unknown, min: number, max: number): void {
    if (typeof value !== 'string') return;
    if (value.length < min)
      this.fail(member, value, `Member must have length greater than or equal to ${min}`);
    if (value.length > max) this.fail(member, value, `Member must have length less than or equal to ${max}`);
  }

  /** Throws the collected failures as one ValidationException, if there are any. */
  check(): void {
    const count = this.#failures.length;
    if (count === 0) return;
    throw validationException(
      `${count} validation error${count === 1 ? '' : 's'} detected: ${this.#failures.join('; ')}`,
    );
  }
}

/** A member's value as DynamoDB quotes it: `null`, or the value in single quotes (numbers too: `Value '0'`). */
const describe = (value: unknown): string =>
  value === null || value === undefined ? 'null' : `'${String(value)}'`;

export { Constraints };
