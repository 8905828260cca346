import { itemSize } from '../../../src/records/itemSize.js';
import type { EventName, StreamRecord, StreamViewType } from '../../../src/records/streamRecord.js';
import type { ItemChange } from '../changes/ItemChange.js';

interface CaptureContext {
  readonly viewType: StreamViewType;
  readonly region: string;
  readonly sequenceNumber: string;
  readonly eventId: string;
  /** Epoch milliseconds of the write. */
  readonly now: number;
}

/** The images a view type keeps for each event (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html). */
const keepsNewImage = (view: StreamViewType) => view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES';
const keepsOldImage = (view: StreamViewType) => view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES';

const eventNameOf = (change: ItemChange): EventName =>
  change.oldImage === undefined ? 'INSERT' : change.newImage === undefined ? 'REMOVE' : 'MODIFY';

/** SizeBytes of a change's record: Keys and the images its view type keeps. */
const recordSizeBytes = (change: ItemChange, viewType: StreamViewType): number => {
  const newImage = keepsNewImage(viewType) ? change.newImage : undefined;
  const oldImage = keepsOldImage(viewType) ? change.oldImage : undefined;
  return (
    itemSize(change.keys) +
    (newImage === undefined ? 0 : (change.newImageSize ?? itemSize(newImage))) +
    (oldImage === undefined ? 0 : (change.oldImageSize ?? itemSize(oldImage)))
  );
};

/**
 * ③ An item change as the stream record AWS writes for it: INSERT when there was no item, REMOVE when there is
 * none left, MODIFY otherwise; images per StreamViewType; SizeBytes over Keys and the kept images.
 */
const captureChange = (change: ItemChange, context: CaptureContext): StreamRecord => {
  const eventName = eventNameOf(change);
  const newImage = keepsNewImage(context.viewType) ? change.newImage : undefined;
  const oldImage = keepsOldImage(context.viewType) ? change.oldImage : undefined;
  const sizeBytes = recordSizeBytes(change, context.viewType);
  // GetRecords rounds the creation time down to the whole second
  // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html).
  const created = Math.floor(context.now / 1000);
  const { keys } = change;
  const { sequenceNumber, viewType } = context;
  // One object literal per combination of images rather than spreads: each keeps one shape, which the record's
  // JSON.stringify (once per write) walks on V8's fast path. The members are in the same order either way.
  const dynamodb: StreamRecord['dynamodb'] =
    newImage !== undefined && oldImage !== undefined
      ? {
          ApproximateCreationDateTime: created,
          Keys: keys,
          NewImage: newImage,
          OldImage: oldImage,
          SequenceNumber: sequenceNumber,
          SizeBytes: sizeBytes,
          StreamViewType: viewType,
        }
      : newImage !== undefined
        ? {
            ApproximateCreationDateTime: created,
            Keys: keys,
            NewImage: newImage,
            SequenceNumber: sequenceNumber,
            SizeBytes: sizeBytes,
            StreamViewType: viewType,
          }
        : oldImage !== undefined
          ? {
              ApproximateCreationDateTime: created,
              Keys: keys,
              OldImage: oldImage,
              SequenceNumber: sequenceNumber,
              SizeBytes: sizeBytes,
              StreamViewType: viewType,
            }
          : {
              ApproximateCreationDateTime: created,
              Keys: keys,
              SequenceNumber: sequenceNumber,
              SizeBytes: sizeBytes,
              StreamViewType: viewType,
            };
  const record: StreamRecord = {
    eventID: context.eventId,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: context.region,
    dynamodb,
  };
  // The Streams API's casing; the SDK drops lowercase keys (toLambdaRecord lowers them for Lambda's event).
  return change.bySystem
    ? { ...record, userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } }
    : record;
};

/**
 * `JSON.stringify(text)` for a string: printable ASCII without `"` or `\` (event ids, sequence numbers, region
 * and view type names) is only put in quotes, without a call into the serializer for each of the four.
 */
const quoted = (text: string): string => {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(text);
  }
  return `"${text}"`;
};

/** A record's JSON text and its SizeBytes (see `captureChangeText`). */
interface CapturedText {
  readonly text: string;
  readonly sizeBytes: number;
}

/**
 * `JSON.stringify(captureChange(change, context))`, character for character, and the record's SizeBytes, without
 * building the record: the members around the images are the same text for every record of a stream, and the
 * serializer walked the record and its envelope (two objects, six strings) for every write. Only Keys and the
 * images, and the strings that vary, go through JSON.stringify. `context.now` that is not a finite number (no
 * clock gives one) takes the record's own path.
 */
const captureChangeText = (change: ItemChange, context: CaptureContext): CapturedText => {
  const sizeBytes = recordSizeBytes(change, context.viewType);
  const created = Math.floor(context.now / 1000);
  if (!Number.isFinite(created)) return { text: JSON.stringify(captureChange(change, context)), sizeBytes };
  const newImage = keepsNewImage(context.viewType) ? change.newImage : undefined;
  const oldImage = keepsOldImage(context.viewType) ? change.oldImage : undefined;
  let text = `{"eventID":${quoted(context.eventId)},"eventName":"${eventNameOf(change)}","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":${quoted(context.region)},"dynamodb":{"ApproximateCreationDateTime":${created},"Keys":${JSON.stringify(change.keys)}`;
  if (newImage !== undefined) text += `,"NewImage":${JSON.stringify(newImage)}`;
  if (oldImage !== undefined) text += `,"OldImage":${JSON.stringify(oldImage)}`;
  text += `,"SequenceNumber":${quoted(context.sequenceNumber)},"SizeBytes":${sizeBytes},"StreamViewType":${quoted(context.viewType)}}`;
  if (change.bySystem) text += ',"userIdentity":{"Type":"Service","PrincipalId":"dynamodb.amazonaws.com"}';
  return { text: `${text}}`, sizeBytes };
};

export type { CaptureContext, CapturedText };
export { captureChange, captureChangeText };
