import { childLocation, isRecord } from './resolveIntrinsics.js';
import { own, type TemplateContext } from './TemplateContext.js';

const ON_FAILURE_TYPES = ['SQS', 'SNS', 'S3', 'Kafka'];

/** SAM's own check (samtranslator/model/eventsources/pull.py); `Type` is SAM-only and takes no intrinsics. */
const checkDestinationConfig = (template: TemplateContext, config: unknown, location: string): void => {
  if (config === undefined) return;
  const onFailure = isRecord(config) ? own(config, 'OnFailure') : undefined;
  if (!isRecord(onFailure)) {
    template.fail(
      childLocation(location, 'OnFailure'),
      "Property 'DestinationConfig.OnFailure' should be a map.",
    );
  }
  const type = own(onFailure, 'Type');
  if (type !== undefined && type !== null && type !== '' && !ON_FAILURE_TYPES.includes(type as string)) {
    template.fail(
      childLocation(location, 'OnFailure.Type'),
      "The only valid values for 'Type' are 'SQS', 'SNS', 'S3', and 'Kafka'",
    );
  }
};

export { checkDestinationConfig };
