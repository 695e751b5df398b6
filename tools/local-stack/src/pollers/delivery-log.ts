/** One event the stack delivered to a function. */
export interface Delivery {
  functionName: string;
  at: string;
  event: unknown;
}

/**
 * The last events delivered to each function, kept in memory (a ring per function) and served by
 * the admin endpoint: for debugging, and for the tests that check events against AWS's schemas.
 */
export class DeliveryLog {
  private readonly byFunction = new Map<string, Delivery[]>();

  constructor(private readonly perFunction = 50) {}

  record(functionName: string, event: unknown): void {
    const ring = this.byFunction.get(functionName) ?? [];
    ring.push({ functionName, at: new Date().toISOString(), event });
    if (ring.length > this.perFunction) ring.shift();
    this.byFunction.set(functionName, ring);
  }

  recent(functionName?: string): Delivery[] {
    if (functionName) return [...(this.byFunction.get(functionName) ?? [])];
    return [...this.byFunction.values()].flat().sort((a, b) => a.at.localeCompare(b.at));
  }
}
