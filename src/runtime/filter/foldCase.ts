/**
 * The form `equals-ignore-case` compares. Upper then lower case folds the pairs a single `toLowerCase` misses
 * (`ß`/`SS`, final sigma), close to the per-character case sets EventBridge's matcher uses.
 */
const foldCase = (text: string): string => text.toUpperCase().toLowerCase();

export { foldCase };
