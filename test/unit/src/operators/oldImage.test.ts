import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { oldImage } from '../../../../src/operators/oldImage.js';
import type { StreamItem } from '../../../../src/pipeline/StreamItem.js';
import { imageOperatorCases, type Order, orderItems } from './recordOperatorCases.js';

describe(oldImage.name, () => {
  imageOperatorCases(oldImage, {
    image: 'oldImage',
    name: 'maps records to their oldImages, drops INSERTs, and reports a REMOVE on a NEW_IMAGE stream',
    expected: '---M-R---|',
    missing: {
      eventName: 'REMOVE',
      streamViewType: 'NEW_IMAGE',
      message: (sequenceNumber) =>
        `record ${sequenceNumber} (REMOVE id="b") has no OldImage: oldImage() needs StreamViewType ` +
        "OLD_IMAGE or NEW_AND_OLD_IMAGES, and the record's stream has NEW_IMAGE",
    },
  });

  it('is typed by the items it gets', () => {
    expectTypeOf(orderItems.pipe(oldImage())).toEqualTypeOf<Observable<Order>>();
    expectTypeOf<StreamItem<Order>>().toHaveProperty('oldImage').toEqualTypeOf<Order | undefined>();
  });
});
