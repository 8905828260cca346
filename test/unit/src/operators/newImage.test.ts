import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { newImage } from '../../../../src/operators/newImage.js';
import type { StreamItem } from '../../../../src/pipeline/StreamItem.js';
import { imageOperatorCases, type Order, orderItems } from './recordOperatorCases.js';

describe(newImage.name, () => {
  imageOperatorCases(newImage, {
    image: 'newImage',
    name: 'maps records to their newImages, drops REMOVEs, and reports an INSERT on a KEYS_ONLY stream',
    expected: '-I-M-----|',
    missing: {
      eventName: 'INSERT',
      streamViewType: 'KEYS_ONLY',
      message: (sequenceNumber) =>
        `record ${sequenceNumber} (INSERT id="b") has no NewImage: newImage() needs StreamViewType ` +
        "NEW_IMAGE or NEW_AND_OLD_IMAGES, and the record's stream has KEYS_ONLY",
    },
  });

  it('is typed by the items it gets', () => {
    expectTypeOf(orderItems.pipe(newImage())).toEqualTypeOf<Observable<Order>>();
    expectTypeOf<StreamItem<Order>>().toHaveProperty('newImage').toEqualTypeOf<Order | undefined>();
  });
});
