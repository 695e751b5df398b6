/** A DynamoDB stream record's old or new image, unmarshalled to plain values (absent on INSERT/REMOVE). */
export type Image = Record<string, unknown> | undefined;
