/** A JSON scalar: what a record holds at a leaf, and what a pattern compares it with. */
type Scalar = string | number | boolean | null;

/** One literal or operator of a pattern's value list, applied to one leaf value. */
type ValueTest = (value: Scalar) => boolean;

/** A value list compiled: either a test of the leaf's value or an `exists` check on the path. */
type ValueMatcher =
  | { readonly kind: 'test'; readonly test: ValueTest }
  | { readonly kind: 'exists'; readonly exists: boolean };

/**
 * What a pattern requires of one flattened path such as `dynamodb.NewImage.k.S` (EventBridge joins the keys of
 * patterns and records with dots). The values of the list are ORed.
 */
interface FieldTest {
  readonly path: string;
  /** Literals and operators; the field matches when one of them accepts a leaf at the path. */
  readonly tests: readonly ValueTest[];
  /** `{"exists": true}` is in the list: any leaf at the path matches. */
  readonly ifPresent: boolean;
  /** `{"exists": false}` is in the list: matches when the path has no leaf (an object there is no leaf). */
  readonly ifAbsent: boolean;
}

/** A pattern object: every field and every `$or` group must match (AND); a group needs one branch (OR). */
interface PatternTree {
  readonly fields: readonly FieldTest[];
  readonly anyOf: readonly (readonly PatternTree[])[];
}

export type { FieldTest, PatternTree, Scalar, ValueMatcher, ValueTest };
