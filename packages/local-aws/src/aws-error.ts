// An error that the protocols render exactly as AWS would (JSON `__type` / query `<Code>`), never as a 500.

export interface AwsErrorDetails {
  /** HTTP status; 400 unless AWS answers otherwise (SNS's NotFound is 404). */
  status?: number;
  /** The code the query protocol (and the `x-amzn-query-error` header) uses, when it differs from `code`. */
  queryCode?: string;
  /** The message the query protocol uses, when AWS words it differently there. */
  queryMessage?: string;
  fault?: 'Sender' | 'Receiver';
}

export class AwsError extends Error {
  readonly status: number;
  readonly queryCode: string;
  readonly queryMessage: string;
  readonly fault: 'Sender' | 'Receiver';

  constructor(
    /** The error shape name the SDK surfaces as `error.name`, e.g. `QueueDoesNotExist`. */
    readonly code: string,
    message: string,
    details: AwsErrorDetails = {},
  ) {
    super(message);
    this.name = code;
    this.status = details.status ?? 400;
    this.queryCode = details.queryCode ?? code;
    this.queryMessage = details.queryMessage ?? message;
    this.fault = details.fault ?? 'Sender';
  }
}
