/** A delivery the receiver refused for good (unknown mailbox, malformed message): retrying cannot help. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}
