/** The gateway could not be reached or timed out: nothing happened, the same call may succeed later. */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
}

/**
 * The gateway refused the request itself (an idempotency key reused for another request, a
 * refund of an unknown charge), like an HTTP 4xx: sending it again cannot change the answer.
 */
export class GatewayRequestError extends Error {
  override readonly name = 'GatewayRequestError';
}
