/**
 * `--parameter-overrides` as `sam deploy` reads it
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-deploy.html):
 * space-separated pairs, each `ParameterKey=Name,ParameterValue=Value` or the shorthand `Name=Value`; a value in
 * double quotes may hold spaces (`Name="a b"`, `\"` for a quote). The pairs may come as one argument or several;
 * a name given twice takes its last value, as `sam deploy` does.
 *
 * @example
 * parseParameterOverrides(['ParameterKey=Stage,ParameterValue=dev', 'Table=orders']); // { Stage: 'dev', Table: 'orders' }
 * parseParameterOverrides(['Stage=dev Note="two words"']); // { Stage: 'dev', Note: 'two words' }
 */
const parseParameterOverrides = (args: readonly string[]): Record<string, string> => {
  const overrides = new Map<string, string>();
  for (const arg of args) {
    for (const pair of pairsOf(arg)) {
      const [name, value] = parsePair(pair);
      overrides.set(name, value);
    }
  }
  return Object.fromEntries(overrides);
};

/** A CloudFormation parameter name is alphanumeric (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html). */
const NAME = '[A-Za-z0-9]+';
const LONG_FORM = new RegExp(`^ParameterKey=(${NAME}),ParameterValue=(.*)$`, 's');
const SHORT_FORM = new RegExp(`^(${NAME})=(.*)$`, 's');

const parsePair = (pair: { raw: string; text: string }): [string, string] => {
  // `ParameterKey=Stage` without its ParameterValue is a mistake in the long form, not a parameter `ParameterKey`.
  const long = pair.text.startsWith('ParameterKey=');
  const match = long ? LONG_FORM.exec(pair.text) : SHORT_FORM.exec(pair.text);
  if (match === null) {
    throw new Error(
      `--parameter-overrides: '${pair.raw}' is not ParameterKey=Name,ParameterValue=Value or Name=Value ` +
        '(names are alphanumeric; separate pairs with spaces)',
    );
  }
  return [match[1] as string, match[2] as string];
};

/**
 * Splits an argument at the spaces outside double quotes. `text` is the pair with its quotes taken off, `raw` as
 * written, for errors.
 */
const pairsOf = (arg: string): { raw: string; text: string }[] => {
  const pairs: { raw: string; text: string }[] = [];
  let raw = '';
  let text = '';
  let quoted = false;
  for (let index = 0; index < arg.length; index += 1) {
    const char = arg[index] as string;
    if (quoted && char === '\\' && arg[index + 1] === '"') {
      raw += '\\"';
      text += '"';
      index += 1;
    } else if (char === '"') {
      raw += char;
      quoted = !quoted;
    } else if (!quoted && /\s/.test(char)) {
      if (raw !== '') pairs.push({ raw, text });
      raw = '';
      text = '';
    } else {
      raw += char;
      text += char;
    }
  }
  if (quoted) throw new Error(`--parameter-overrides: '${raw}' has a double quote that is not closed`);
  if (raw !== '') pairs.push({ raw, text });
  return pairs;
};

export { parseParameterOverrides };
