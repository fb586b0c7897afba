// An error that the protocols render exactly as AWS would (JSON `__type` / query `<Code>`), never as a 500.
export class AwsError extends Error {
  constructor(
    /** The error shape name the SDK surfaces as `error.name`, e.g. `QueueDoesNotExist`. */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** The code the query protocol (and the `x-amzn-query-error` header) uses, when it differs from `code`. */
    readonly queryCode: string = code,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}
