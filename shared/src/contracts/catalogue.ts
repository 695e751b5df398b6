import * as z from 'zod/mini';
import { schema } from './schema';

/**
 * The catalogue lookup that the order API makes before it accepts an order: inventory-<stage>-lookupSkus,
 * invoked directly (Lambda Invoke, RequestResponse). It only says which SKUs the catalogue lacks;
 * stock is still checked by the saga's ReserveInventory, atomically.
 */
export const MAX_LOOKUP_SKUS = 100; // one BatchGetItem

export const LookupSkusInput = /* @__PURE__ */ schema(() =>
  z.strictObject({
    skus: z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.minLength(1), z.maxLength(MAX_LOOKUP_SKUS)),
  }),
);
export type LookupSkusInput = z.infer<typeof LookupSkusInput>;

export const LookupSkusOutput = /* @__PURE__ */ schema(() =>
  z.object({
    /** The requested SKUs that are not in the catalogue, in request order. */
    unknown: z.array(z.string()),
  }),
);
export type LookupSkusOutput = z.infer<typeof LookupSkusOutput>;
