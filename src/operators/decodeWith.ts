import { concatMap, EMPTY, from, type ObservableInput, type OperatorFunction, of } from 'rxjs';
import { type ImageName, RecordValidationError, type SchemaIssue } from '../pipeline/errors.js';
import { failRecord } from '../pipeline/failRecord.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';

/**
 * A Standard Schema (https://standardschema.dev, v1): zod ≥ 3.24, valibot, ArkType, effect/schema, …
 *
 * @example
 * import { z } from 'zod'; // zod 4, valibot and arktype schemas are Standard Schemas
 * defineStreamHandler(pipe(decodeWith(z.object({ orderId: z.string() })), processEach(save)));
 */
interface StandardSchema<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

/**
 * A schema with zod's `safeParse` (zod 3 and 4, and libraries that copy its shape).
 *
 * @example
 * const schema: SafeParseSchema<Order> = {
 *   safeParse: (value) => (isOrder(value) ? { success: true, data: value } : { success: false, error: 'not an order' }),
 * };
 */
interface SafeParseSchema<Output = unknown> {
  safeParse(
    data: unknown,
  ): { readonly success: true; readonly data: Output } | { readonly success: false; readonly error: unknown };
}

/**
 * What `decodeWith` accepts: a Standard Schema, or any object with a zod-compatible `safeParse`.
 *
 * @example
 * const schema: RecordSchema<Order> = OrderSchema; // a zod schema, a Standard Schema or anything with safeParse
 * pipe(decodeWith(schema));
 */
type RecordSchema<Output extends Item = Item> = StandardSchema<Output> | SafeParseSchema<Output>;

/** Validation of one image: its decoded value, or the issues found. */
type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: SchemaIssue[]; readonly cause?: unknown };

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

const fromStandardResult = <T>(result: StandardResult<T>): Checked<T> =>
  result.issues === undefined
    ? { ok: true, value: result.value }
    : {
        ok: false,
        issues: result.issues.map((issue) => ({
          message: issue.message,
          path: (issue.path ?? []).map((segment) =>
            typeof segment === 'object' && segment !== null ? segment.key : segment,
          ),
        })),
      };

/** zod's error carries Standard-Schema-shaped `issues`; anything else becomes one issue with its message. */
const fromSafeParseError = (error: unknown): SchemaIssue[] => {
  const issues = (error as { issues?: unknown } | null)?.issues;
  if (Array.isArray(issues)) {
    const checked = fromStandardResult({ issues: issues as StandardIssue[] });
    if (!checked.ok) return checked.issues;
  }
  return [{ path: [], message: messageOf(error) }];
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A schema that throws (or rejects) instead of answering is reported like an invalid image, with the cause. */
const threw = (error: unknown): Checked<never> => ({
  ok: false,
  issues: [{ path: [], message: `the schema threw: ${messageOf(error)}` }],
  cause: error,
});

/** Validates one image; synchronous unless the schema answers with a Promise (an async Standard Schema). */
const check = <T extends Item>(
  schema: RecordSchema<T>,
  image: unknown,
): Checked<T> | PromiseLike<Checked<T>> => {
  try {
    if ('~standard' in schema) {
      const result = schema['~standard'].validate(image);
      return isPromiseLike(result)
        ? Promise.resolve(result).then((r) => fromStandardResult<T>(r), threw)
        : fromStandardResult<T>(result);
    }
    const result = schema.safeParse(image);
    return result.success
      ? { ok: true, value: result.data }
      : { ok: false, issues: fromSafeParseError(result.error) };
  } catch (error) {
    return threw(error);
  }
};

/**
 * Validates and decodes the images a record carries. Returns the typed item, or undefined after reporting the
 * record as failed.
 */
const decodeItem = <T extends Item>(
  schema: RecordSchema<T>,
  item: StreamItem,
): StreamItem<T> | undefined | PromiseLike<StreamItem<T> | undefined> => {
  const images = (
    [
      ['NewImage', item.newImage],
      ['OldImage', item.oldImage],
    ] as const
  ).filter((entry): entry is readonly [ImageName, Item] => entry[1] !== undefined);
  const checks = images.map(([, image]) => check<T>(schema, image));
  const finish = (results: readonly Checked<T>[]): StreamItem<T> | undefined => {
    const decoded: Partial<Record<ImageName, T>> = {};
    for (const [index, result] of results.entries()) {
      const name = (images[index] as readonly [ImageName, Item])[0];
      if (!result.ok) {
        failRecord(item, new RecordValidationError(item, name, result.issues, { cause: result.cause }));
        return undefined;
      }
      decoded[name] = result.value;
    }
    return { ...item, newImage: decoded.NewImage, oldImage: decoded.OldImage };
  };
  return checks.some(isPromiseLike)
    ? Promise.all(checks).then(finish)
    : finish(checks as readonly Checked<T>[]);
};

/**
 * Validates each record's images with a schema, and passes the record on typed with the schema's output (its
 * defaults and transforms applied). Accepts any Standard Schema (zod ≥ 3.24, valibot, ArkType, …) or any
 * object with a zod-compatible `safeParse`, so Eddy needs no schema library at run time.
 *
 * Every image the record carries is validated (the new image, and the old image on NEW_AND_OLD_IMAGES and
 * OLD_IMAGE streams), because the typed item promises both; a record without images (KEYS_ONLY) passes as it
 * is. A record with an invalid image never errors the pipeline: it is dropped and reported as failed through
 * the invocation's side channel, with a {@link RecordValidationError} naming the record, the image and each
 * issue, so it lands in `batchItemFailures` together with its item's later records, which `processEach` will
 * not run. Validation is synchronous, except for schemas that answer with a Promise; records keep their order
 * either way.
 *
 * ```
 * items:   --a--b--c--|   decodeWith(Order)      b: total is "12" instead of a number
 * result:  --A-----C--|   A, C: a and c with typed images; b is reported as failed
 * ```
 *
 * @example
 * const Order = z.object({ orderId: z.string(), status: z.enum(['NEW', 'PAID']), total: z.number() });
 * export const handler = defineStreamHandler(
 *   pipe(decodeWith(Order), processEach((item) => charge(item.newImage?.total))),
 * );
 */
const decodeWith =
  <T extends Item>(schema: RecordSchema<T>): OperatorFunction<StreamItem, StreamItem<T>> =>
  (items) =>
    items.pipe(
      concatMap((item): ObservableInput<StreamItem<T>> => {
        const decoded = decodeItem(schema, item);
        if (isPromiseLike(decoded)) {
          return from(decoded).pipe(concatMap((value) => (value === undefined ? EMPTY : of(value))));
        }
        return decoded === undefined ? EMPTY : of(decoded);
      }),
    );

export type { RecordSchema, SafeParseSchema, StandardSchema };
export { decodeWith };
