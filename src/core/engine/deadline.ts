/** The reason a verify's signal aborts with at its deadline (not a cancellation): backends report a timeout then. */
export class DeadlineExceeded extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly ms: number) {
    super(`No complete answer within ${ms} ms.`);
  }
}

/** Whether an abort reason is the deadline. */
export function isDeadline(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}
