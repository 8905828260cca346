import { TemplateError } from './TemplateError.js';
import type { StreamArnMarker } from './types.js';

/**
 * CloudFormation intrinsic functions evaluated the way a deployment would, but against the local environment.
 *
 * Local stand-ins for what only AWS knows:
 * - A resource without an explicit name is called `<StackName>-<LogicalId>` (lower-cased for S3 buckets, `.fifo`
 *   appended for FIFO queues). CloudFormation adds a random suffix on AWS, so code must read names from the
 *   environment rather than assume this form.
 * - `Ref` of an `AWS::SQS::Queue` is `http://sqs.<region>.localhost/<account>/<name>`. UNCONFIRMED: no local SQS
 *   endpoint is defined yet; this only has the shape of a queue URL.
 * - `Fn::GetAtt <Table>.StreamArn` is `{ streamOf: '<Table>' }` ({@link StreamArnMarker}); the ARN exists only
 *   after the emulator has created the table, so the caller substitutes it. The marker cannot be embedded in a
 *   string (`Fn::Sub`, `Fn::Join`).
 * - `Number` parameters resolve to JS numbers (CloudFormation hands them on as strings) so that e.g.
 *   `BatchSize: !Ref Size` can be range-checked as a number.
 * - `AWS::Partition` and `AWS::URLSuffix` follow the region (`cn-*` → aws-cn, `us-gov-*` → aws-us-gov, else aws);
 *   `AWS::StackId` uses an all-zero stack UUID.
 *
 * `Fn::ImportValue`, `Fn::GetAZs`, `Fn::Cidr`, `Fn::Transform` and attributes of other resource types cannot be
 * resolved locally and raise a {@link TemplateError} at the place they are used.
 */

/** Everything the resolver reads from the template and the run options. */
interface IntrinsicContext {
  /** Used in error messages. */
  templatePath: string;
  stackName: string;
  region: string;
  accountId: string;
  /** The template's `Parameters` section. */
  parameters: Record<string, unknown>;
  parameterOverrides: Record<string, string>;
  /** The template's `Mappings` section. */
  mappings: Record<string, unknown>;
  /** The template's `Conditions` section. */
  conditions: Record<string, unknown>;
  /** The template's `Resources` section. */
  resources: Record<string, unknown>;
}

/** Resolves values of one template; caches parameters, conditions and resource names. */
interface IntrinsicResolver {
  /** The value with every intrinsic resolved; `undefined` when it is `AWS::NoValue`. */
  resolve(value: unknown, location: string): unknown;
  /** The value of the named entry of `Conditions`; `location` is where the name is used. */
  evaluateCondition(name: string, location: string): boolean;
  /** False when the resource has a `Condition` that is false (CloudFormation does not create it). */
  isCreated(logicalId: string): boolean;
}

/** What `AWS::NoValue` resolves to before the enclosing key or list item is dropped. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable']);
const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

/** The property that gives each nameable resource type its physical name. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Serverless::SimpleTable': 'TableName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::S3::Bucket': 'BucketName',
};

const NOT_LOCAL: Readonly<Record<string, string>> = {
  'Fn::ImportValue': "it reads another stack's exports",
  'Fn::GetAZs': 'it lists the Availability Zones of a real account',
  'Fn::Cidr': 'it is not implemented by eddy',
  'Fn::Transform': 'it runs a CloudFormation macro',
};

const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Distinguishes the marker from a table's own data, which cannot contain a lone `streamOf` string key. */
const isStreamArnMarker = (value: unknown): value is StreamArnMarker =>
  isRecord(value) && Object.keys(value).length === 1 && typeof value.streamOf === 'string';

/** The intrinsic a value calls: a one-key map whose key is `Ref` or `Fn::…`. */
const intrinsicName = (value: unknown): string | undefined => {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const key = keys[0];
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))
    ? key
    : undefined;
};

/** `Resources.X` + `Properties` → `Resources.X.Properties`; list items as `[i]`. */
const childLocation = (location: string, key: string | number): string =>
  typeof key === 'number' ? `${location}[${key}]` : location === '' ? key : `${location}.${key}`;

const partitionOf = (region: string): { partition: string; urlSuffix: string } =>
  region.startsWith('cn-')
    ? { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' }
    : region.startsWith('us-gov-')
      ? { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' }
      : { partition: 'aws', urlSuffix: 'amazonaws.com' };

const describe = (value: unknown): string =>
  value === NO_VALUE
    ? 'AWS::NoValue'
    : Array.isArray(value)
      ? 'a list'
      : isRecord(value)
        ? 'a map'
        : String(value);

const isPrimitive = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

class Resolver implements IntrinsicResolver {
  readonly #context: IntrinsicContext;
  readonly #partition: string;
  readonly #urlSuffix: string;
  readonly #parameterValues = new Map<string, unknown>();
  readonly #conditionValues = new Map<string, boolean>();
  readonly #conditionsInProgress: string[] = [];
  readonly #names = new Map<string, string>();
  readonly #namesInProgress = new Set<string>();

  constructor(context: IntrinsicContext) {
    this.#context = context;
    ({ partition: this.#partition, urlSuffix: this.#urlSuffix } = partitionOf(context.region));
  }

  resolve(value: unknown, location: string): unknown {
    const resolved = this.#resolve(value, location);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  evaluateCondition(name: string, location: string): boolean {
    const cached = this.#conditionValues.get(name);
    if (cached !== undefined) return cached;
    const { conditions } = this.#context;
    if (!Object.hasOwn(conditions, name)) {
      this.#fail(location, `there is no condition named ${name} in Conditions`);
    }
    if (this.#conditionsInProgress.includes(name)) {
      const cycle = [...this.#conditionsInProgress, name].join(' → ');
      this.#fail(`Conditions.${name}`, `conditions refer to each other in a cycle: ${cycle}`);
    }
    this.#conditionsInProgress.push(name);
    try {
      const value = this.#condition(conditions[name], `Conditions.${name}`);
      this.#conditionValues.set(name, value);
      return value;
    } finally {
      this.#conditionsInProgress.pop();
    }
  }

  isCreated(logicalId: string): boolean {
    const definition = this.#context.resources[logicalId];
    const condition = isRecord(definition) ? definition.Condition : undefined;
    if (condition === undefined) return true;
    const location = `Resources.${logicalId}.Condition`;
    if (typeof condition !== 'string') this.#fail(location, 'Condition must be the name of a condition');
    return this.evaluateCondition(condition, location);
  }

  #fail(location: string, problem: string): never {
    throw new TemplateError(this.#context.templatePath, location, problem);
  }

  #resolve(value: unknown, location: string): unknown {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      value.forEach((item, index) => {
        const resolved = this.#resolve(item, childLocation(location, index));
        if (resolved !== NO_VALUE) items.push(resolved);
      });
      return items;
    }
    if (!isRecord(value)) return value;
    const fn = intrinsicName(value);
    if (fn !== undefined) return this.#intrinsic(fn, value[fn], location);
    // Object.fromEntries defines own properties, so a key such as `__proto__` stays data.
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      const resolved = this.#resolve(item, childLocation(location, key));
      if (resolved !== NO_VALUE) entries.push([key, resolved]);
    }
    return Object.fromEntries(entries);
  }

  #intrinsic(fn: string, args: unknown, location: string): unknown {
    switch (fn) {
      case 'Ref':
        if (typeof args !== 'string' || args === '') {
          this.#fail(location, 'Ref needs a parameter or logical ID');
        }
        return this.#ref(args, location);
      case 'Fn::GetAtt':
        return this.#getAtt(args, location);
      case 'Fn::Sub':
        return this.#sub(args, location);
      case 'Fn::Join':
        return this.#join(args, location);
      case 'Fn::Select':
        return this.#select(args, location);
      case 'Fn::Split':
        return this.#split(args, location);
      case 'Fn::If':
        return this.#if(args, location);
      case 'Fn::FindInMap':
        return this.#findInMap(args, location);
      case 'Fn::Base64':
        return Buffer.from(
          this.#text(this.#resolve(args, childLocation(location, fn)), location, fn),
        ).toString('base64');
    }
    if (CONDITION_FUNCTIONS.has(fn)) this.#fail(location, `${fn} can only be used in the Conditions section`);
    const reason = NOT_LOCAL[fn];
    if (reason !== undefined) this.#fail(location, `${fn} cannot be resolved locally (${reason})`);
    return this.#fail(location, `${fn} is not an intrinsic function eddy can resolve locally`);
  }

  /** A value that goes into a string: `Fn::Sub` variables, `Fn::Join` items, `Fn::Split` input. */
  #text(value: unknown, location: string, fn: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (isStreamArnMarker(value)) {
      this.#fail(
        location,
        `${fn} cannot use the stream ARN of ${value.streamOf} locally: it exists only once the emulator has ` +
          'created the table; use !GetAtt <Table>.StreamArn on its own',
      );
    }
    return this.#fail(location, `${fn} needs a string here, got ${describe(value)}`);
  }

  #args(fn: string, args: unknown, location: string, counts: number[]): unknown[] {
    if (!Array.isArray(args) || !counts.includes(args.length)) {
      this.#fail(location, `${fn} needs a list of ${counts.join(' or ')} items, got ${describe(args)}`);
    }
    return args;
  }

  #ref(name: string, location: string, usage = `Ref ${name}`): unknown {
    if (name.startsWith('AWS::')) return this.#pseudo(name, location, usage);
    if (Object.hasOwn(this.#context.parameters, name)) return this.#parameter(name, location);
    if (Object.hasOwn(this.#context.resources, name)) {
      const { type } = this.#resource(name, location, usage);
      const resourceName = (): string => this.#physicalName(name, type);
      if (TABLE_TYPES.has(type) || FUNCTION_TYPES.has(type) || type === 'AWS::S3::Bucket') {
        return resourceName();
      }
      if (type === 'AWS::SQS::Queue') return this.#queueUrl(resourceName());
      if (type === 'AWS::SNS::Topic') return this.#arn('sns', resourceName());
      this.#fail(location, `${usage}: a ${type} cannot be resolved locally`);
    }
    return this.#fail(
      location,
      `${usage}: there is no parameter, resource or pseudo parameter named ${name}`,
    );
  }

  #pseudo(name: string, location: string, usage: string): unknown {
    const { region, accountId, stackName } = this.#context;
    switch (name) {
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::Partition':
        return this.#partition;
      case 'AWS::URLSuffix':
        return this.#urlSuffix;
      case 'AWS::StackId':
        return `arn:${this.#partition}:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    return this.#fail(location, `${usage}: unknown pseudo parameter ${name}`);
  }

  #parameter(name: string, location: string): unknown {
    if (this.#parameterValues.has(name)) return this.#parameterValues.get(name);
    const definitionLocation = `Parameters.${name}`;
    const definition = this.#context.parameters[name];
    if (!isRecord(definition)) this.#fail(definitionLocation, 'a parameter must be a map with a Type');
    const type = definition.Type;
    if (typeof type !== 'string') this.#fail(childLocation(definitionLocation, 'Type'), 'Type is required');
    const overrides = this.#context.parameterOverrides;
    let raw: unknown;
    if (Object.hasOwn(overrides, name)) raw = overrides[name];
    else if (type.startsWith('AWS::SSM::Parameter::Value<')) {
      this.#fail(
        location,
        `parameter ${name} (${type}) is read from SSM Parameter Store on AWS; ` +
          'give its value in the parameter overrides to run locally',
      );
    } else if (Object.hasOwn(definition, 'Default')) raw = definition.Default;
    else {
      this.#fail(
        location,
        `parameter ${name} has no Default and no value was given in the parameter overrides`,
      );
    }
    const value = this.#parameterOfType(name, type, raw, definition);
    this.#parameterValues.set(name, value);
    return value;
  }

  #parameterOfType(name: string, type: string, raw: unknown, definition: Record<string, unknown>): unknown {
    const location = `Parameters.${name}`;
    const isList = type === 'CommaDelimitedList' || /List<.*>/.test(type);
    if (!(isPrimitive(raw) || (isList && Array.isArray(raw) && raw.every(isPrimitive)))) {
      this.#fail(location, `the value of ${name} must be a string, got ${describe(raw)}`);
    }
    // CloudFormation trims each member of a CommaDelimitedList.
    const items = isList
      ? (Array.isArray(raw) ? raw : String(raw).split(',')).map((item) => String(item).trim())
      : [];
    let value: unknown = isList ? items : String(raw);
    if (type === 'Number') {
      const number = typeof raw === 'number' ? raw : String(raw).trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(number)) this.#fail(location, `'${String(raw)}' is not a Number`);
      value = number;
    }
    const explain =
      typeof definition.ConstraintDescription === 'string' ? ` (${definition.ConstraintDescription})` : '';
    for (const item of isList ? items : [String(raw)]) {
      const allowed = definition.AllowedValues;
      if (Array.isArray(allowed) && !allowed.some((candidate) => String(candidate) === item)) {
        this.#fail(
          location,
          `'${item}' is not one of the AllowedValues: ${allowed.map(String).join(', ')}${explain}`,
        );
      }
      const pattern = definition.AllowedPattern;
      if (typeof pattern === 'string' && !new RegExp(`^(?:${pattern})$`).test(item)) {
        this.#fail(location, `'${item}' does not match the AllowedPattern ${pattern}${explain}`);
      }
    }
    return value;
  }

  #resource(
    logicalId: string,
    location: string,
    usage: string,
  ): { type: string; properties: Record<string, unknown> } {
    const { resources } = this.#context;
    if (!Object.hasOwn(resources, logicalId)) {
      this.#fail(location, `${usage}: there is no resource named ${logicalId}`);
    }
    const definition = resources[logicalId];
    if (!isRecord(definition) || typeof definition.Type !== 'string') {
      this.#fail(`Resources.${logicalId}`, 'a resource must be a map with a Type');
    }
    if (!this.isCreated(logicalId)) {
      this.#fail(location, `${usage}: ${logicalId} is not created because its Condition is false`);
    }
    const properties = isRecord(definition.Properties) ? definition.Properties : {};
    return { type: definition.Type, properties };
  }

  /** The explicit name property, or `<StackName>-<LogicalId>` where CloudFormation would generate one. */
  #physicalName(logicalId: string, type: string): string {
    const cached = this.#names.get(logicalId);
    if (cached !== undefined) return cached;
    if (this.#namesInProgress.has(logicalId)) {
      this.#fail(`Resources.${logicalId}.Properties`, `the name of ${logicalId} depends on itself`);
    }
    this.#namesInProgress.add(logicalId);
    try {
      const name = this.#nameOf(logicalId, type);
      this.#names.set(logicalId, name);
      return name;
    } finally {
      this.#namesInProgress.delete(logicalId);
    }
  }

  #nameOf(logicalId: string, type: string): string {
    const propertiesLocation = `Resources.${logicalId}.Properties`;
    const { properties } = this.#resource(logicalId, `Resources.${logicalId}`, logicalId);
    const nameProperty = NAME_PROPERTY[type] ?? '';
    const nameLocation = childLocation(propertiesLocation, nameProperty);
    const explicit = Object.hasOwn(properties, nameProperty)
      ? this.resolve(properties[nameProperty], nameLocation)
      : undefined;
    if (explicit !== undefined) {
      if (typeof explicit === 'string' && explicit !== '') return explicit;
      this.#fail(nameLocation, `${nameProperty} must be a string, got ${describe(explicit)}`);
    }
    const name = `${this.#context.stackName}-${logicalId}`;
    if (type === 'AWS::S3::Bucket') return name.toLowerCase();
    if (type === 'AWS::SQS::Queue' && Object.hasOwn(properties, 'FifoQueue')) {
      const fifo = this.resolve(properties.FifoQueue, `${propertiesLocation}.FifoQueue`);
      // A FIFO queue's name must end in .fifo; CloudFormation's generated names do.
      if (fifo === true || fifo === 'true') return `${name}.fifo`;
    }
    return name;
  }

  #arn(service: string, resource: string): string {
    return `arn:${this.#partition}:${service}:${this.#context.region}:${this.#context.accountId}:${resource}`;
  }

  #queueUrl(name: string): string {
    return `http://sqs.${this.#context.region}.localhost/${this.#context.accountId}/${name}`;
  }

  #getAtt(args: unknown, location: string): unknown {
    const argsLocation = childLocation(location, 'Fn::GetAtt');
    let logicalId: unknown;
    let attribute: unknown;
    if (typeof args === 'string' && args.indexOf('.') > 0) {
      logicalId = args.slice(0, args.indexOf('.'));
      attribute = args.slice(args.indexOf('.') + 1);
    } else {
      [logicalId, attribute] = this.#args('Fn::GetAtt', args, location, [2]);
      attribute = this.#resolve(attribute, childLocation(argsLocation, 1));
    }
    if (typeof logicalId !== 'string' || typeof attribute !== 'string') {
      this.#fail(location, 'Fn::GetAtt needs [LogicalId, AttributeName]');
    }
    const usage = `Fn::GetAtt ${logicalId}.${attribute}`;
    const { type, properties } = this.#resource(logicalId, location, usage);
    const name = (): string => this.#physicalName(logicalId, type);
    const attributes: Record<string, () => unknown> = {};
    if (TABLE_TYPES.has(type)) {
      attributes.Arn = () => this.#arn('dynamodb', `table/${name()}`);
      attributes.StreamArn = () => this.#streamOf(logicalId, type, properties, location);
    } else if (type === 'AWS::SQS::Queue') {
      attributes.Arn = () => this.#arn('sqs', name());
      attributes.QueueName = name;
      attributes.QueueUrl = () => this.#queueUrl(name());
    } else if (type === 'AWS::SNS::Topic') {
      attributes.TopicArn = () => this.#arn('sns', name());
      attributes.TopicName = name;
    } else if (FUNCTION_TYPES.has(type)) {
      attributes.Arn = () => this.#arn('lambda', `function:${name()}`);
    } else if (type === 'AWS::S3::Bucket') {
      attributes.Arn = () => `arn:${this.#partition}:s3:::${name()}`;
    } else {
      this.#fail(location, `${usage}: attributes of a ${type} cannot be resolved locally`);
    }
    const get = Object.hasOwn(attributes, attribute) ? attributes[attribute] : undefined;
    if (get === undefined) {
      const known = Object.keys(attributes).join(', ');
      this.#fail(
        location,
        `${usage}: a ${type} has no attribute ${attribute} that can be resolved locally (${known})`,
      );
    }
    return get();
  }

  #streamOf(
    logicalId: string,
    type: string,
    properties: Record<string, unknown>,
    location: string,
  ): StreamArnMarker {
    const specification =
      type === 'AWS::DynamoDB::Table' && Object.hasOwn(properties, 'StreamSpecification')
        ? this.resolve(
            properties.StreamSpecification,
            `Resources.${logicalId}.Properties.StreamSpecification`,
          )
        : undefined;
    if (specification === undefined) {
      this.#fail(location, `table ${logicalId} has no StreamSpecification, so it has no stream`);
    }
    return { streamOf: logicalId };
  }

  #sub(args: unknown, location: string): string {
    let template: unknown = args;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(args)) {
      [template] = this.#args('Fn::Sub', args, location, [2]);
      const given = args[1];
      if (!isRecord(given)) this.#fail(location, `Fn::Sub variables must be a map, got ${describe(given)}`);
      variables = given;
    }
    if (typeof template !== 'string') {
      this.#fail(location, `Fn::Sub needs a string, got ${describe(template)}`);
    }
    const variablesLocation = childLocation(childLocation(location, 'Fn::Sub'), 1);
    return template.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      // `${!Name}` is CloudFormation's escape for a literal `${Name}`.
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const use = `Fn::Sub \${${inner}}`;
      if (inner === '') this.#fail(location, `${use}: empty variable name`);
      let value: unknown;
      if (Object.hasOwn(variables, inner)) {
        value = this.#resolve(variables[inner], childLocation(variablesLocation, inner));
      } else if (inner.includes('.') && !inner.startsWith('AWS::')) value = this.#getAtt(inner, location);
      else value = this.#ref(inner, location, use);
      return this.#text(value, location, use);
    });
  }

  #join(args: unknown, location: string): string {
    const [delimiter, list] = this.#args('Fn::Join', args, location, [2]);
    if (typeof delimiter !== 'string') this.#fail(location, 'Fn::Join needs a string delimiter');
    const itemsLocation = childLocation(childLocation(location, 'Fn::Join'), 1);
    const items = this.#resolve(list, itemsLocation);
    if (!Array.isArray(items)) this.#fail(location, `Fn::Join needs a list to join, got ${describe(items)}`);
    return items
      .map((item, index) => this.#text(item, childLocation(itemsLocation, index), 'Fn::Join'))
      .join(delimiter);
  }

  #select(args: unknown, location: string): unknown {
    const [index, list] = this.#args('Fn::Select', args, location, [2]);
    const argsLocation = childLocation(location, 'Fn::Select');
    const position = Number(
      this.#text(this.#resolve(index, childLocation(argsLocation, 0)), location, 'Fn::Select'),
    );
    const items = this.#resolve(list, childLocation(argsLocation, 1));
    if (!Array.isArray(items)) this.#fail(location, `Fn::Select needs a list, got ${describe(items)}`);
    if (!Number.isInteger(position) || position < 0 || position >= items.length) {
      this.#fail(location, `Fn::Select index ${String(index)} is out of range for a list of ${items.length}`);
    }
    return items[position];
  }

  #split(args: unknown, location: string): string[] {
    const [delimiter, source] = this.#args('Fn::Split', args, location, [2]);
    if (typeof delimiter !== 'string' || delimiter === '') {
      this.#fail(location, 'Fn::Split needs a non-empty string delimiter');
    }
    const sourceLocation = childLocation(childLocation(location, 'Fn::Split'), 1);
    return this.#text(this.#resolve(source, sourceLocation), location, 'Fn::Split').split(delimiter);
  }

  #if(args: unknown, location: string): unknown {
    const [condition, whenTrue, whenFalse] = this.#args('Fn::If', args, location, [3]);
    if (typeof condition !== 'string') this.#fail(location, 'Fn::If needs a condition name first');
    const holds = this.evaluateCondition(condition, location);
    // Only the chosen branch is resolved, as CloudFormation does: the other may use what is not available.
    return this.#resolve(
      holds ? whenTrue : whenFalse,
      childLocation(childLocation(location, 'Fn::If'), holds ? 1 : 2),
    );
  }

  #findInMap(args: unknown, location: string): unknown {
    const keys = this.#args('Fn::FindInMap', args, location, [3]);
    const argsLocation = childLocation(location, 'Fn::FindInMap');
    const [mapName, topKey, secondKey] = keys.map((key, index) =>
      this.#text(this.#resolve(key, childLocation(argsLocation, index)), location, 'Fn::FindInMap'),
    ) as [string, string, string];
    const use = `Fn::FindInMap [${mapName}, ${topKey}, ${secondKey}]`;
    const { mappings } = this.#context;
    const map = Object.hasOwn(mappings, mapName) ? mappings[mapName] : undefined;
    if (!isRecord(map)) this.#fail(location, `${use}: there is no mapping named ${mapName} in Mappings`);
    const top = Object.hasOwn(map, topKey) ? map[topKey] : undefined;
    if (!isRecord(top)) this.#fail(location, `${use}: mapping ${mapName} has no key ${topKey}`);
    if (!Object.hasOwn(top, secondKey)) {
      this.#fail(location, `${use}: ${mapName}.${topKey} has no key ${secondKey}`);
    }
    return top[secondKey];
  }

  #condition(expression: unknown, location: string): boolean {
    const [entry, ...more] = isRecord(expression) ? Object.entries(expression) : [];
    if (entry === undefined || more.length > 0) {
      this.#fail(location, 'a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition');
    }
    const [key, args] = entry;
    const argsLocation = childLocation(location, key);
    switch (key) {
      case 'Condition':
        if (typeof args !== 'string') this.#fail(location, 'Condition needs a condition name');
        return this.evaluateCondition(args, location);
      case 'Fn::Equals': {
        const [left, right] = this.#args(key, args, location, [2]).map((side, index) =>
          this.#resolve(side, childLocation(argsLocation, index)),
        );
        if (left === NO_VALUE || right === NO_VALUE) {
          this.#fail(location, 'Fn::Equals cannot compare AWS::NoValue');
        }
        // Parameters are strings in CloudFormation, so `!Equals [!Ref Count, 3]` compares '3' with 3 as equal.
        return isPrimitive(left) && isPrimitive(right)
          ? String(left) === String(right)
          : JSON.stringify(left) === JSON.stringify(right);
      }
      case 'Fn::Not': {
        const [operand] = this.#args(key, args, location, [1]);
        return !this.#condition(operand, childLocation(argsLocation, 0));
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const operands = this.#args(key, args, location, [2, 3, 4, 5, 6, 7, 8, 9, 10]);
        const values = operands.map((operand, index) =>
          this.#condition(operand, childLocation(argsLocation, index)),
        );
        return key === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
    }
    return this.#fail(location, 'a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition');
  }
}

/**
 * A resolver for one template.
 *
 * @example
 * const resolver = createIntrinsicResolver({ templatePath: 'template.yaml', stackName: 'eddy', … });
 * resolver.resolve({ 'Fn::Sub': '${AWS::StackName}-orders' }, 'Resources.T.Properties.TableName'); // 'eddy-orders'
 */
const createIntrinsicResolver = (context: IntrinsicContext): IntrinsicResolver => new Resolver(context);

/**
 * Resolves one value with a fresh resolver; `undefined` when the value is `AWS::NoValue`.
 *
 * @param location - the value's dotted path in the template, used in errors
 * @throws {TemplateError} naming the location of anything that cannot be resolved locally
 */
const resolveIntrinsics = (value: unknown, location: string, context: IntrinsicContext): unknown =>
  createIntrinsicResolver(context).resolve(value, location);

export type { IntrinsicContext, IntrinsicResolver };
export { childLocation, createIntrinsicResolver, isRecord, isStreamArnMarker, resolveIntrinsics };
