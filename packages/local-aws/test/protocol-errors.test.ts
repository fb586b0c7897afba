// Conformance: requests no SDK would send still get an AWS-shaped 4xx error, never a 5xx or a bare 404.
// AWS documents the shapes: JSON errors carry `__type` and `message` in the body and `x-amzn-query-error` in the
// headers (SQS Developer Guide, "Interpreting Amazon SQS JSON API responses"); query errors are
// `<ErrorResponse><Error><Type/><Code/><Message/>` (Common Errors lists MissingAction, "The request is missing an
// action or a required parameter", HTTP 400).
import { openConformanceEndpoint, queryRequest, signedRequest, xmlText } from './support/conformance-endpoint';
import type { ConformanceEndpoint, RawResponse } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

function jsonRequest(target: string | undefined, body: string | Buffer): Promise<RawResponse> {
  return signedRequest(aws, {
    service: 'sqs',
    headers: { 'content-type': 'application/x-amz-json-1.0', ...(target ? { 'x-amz-target': target } : {}) },
    body,
  });
}

function expectJsonError(response: RawResponse): { __type: string; message?: string } {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const error = JSON.parse(response.text) as { __type: string; message?: string };
  expect(typeof error.__type).toBe('string');
  return error;
}

describe('AWS JSON protocol requests that name no operation', () => {
  it.each([
    ['an operation SQS does not have', 'AmazonSQS.NoSuchOperation'],
    ['another service prefix', 'AmazonSNS.Publish'],
    ['a target without a dot', 'AmazonSQS'],
  ])('answers %s with a 400 JSON error, not a 404', async (_, target) => {
    const response = await jsonRequest(target, '{}');
    expect(response.status).toBe(400);
    expect(expectJsonError(response).__type).toMatch(/UnknownOperation|InvalidAction/);
  });
});

describe('AWS JSON protocol bodies that are not a JSON object', () => {
  const queueUrl = () => `${aws.endpoint}/000000000000/${aws.uniqueName('any')}`;

  // Issue #16: a `null` body used to crash the handler (500); any JSON that is not an object is a client error.
  it.each([['null'], ['[]'], ['"text"'], ['42'], ['true']])(
    'refuses the body %s with a 400 JSON error',
    async (body) => {
      expectJsonError(await jsonRequest('AmazonSQS.ListQueues', body));
    },
  );

  it('refuses a body that is not JSON', async () => {
    expectJsonError(await jsonRequest('AmazonSQS.ListQueues', '{"QueueNamePrefix": '));
  });

  it('refuses a JSON body with invalid UTF-8', async () => {
    const body = Buffer.concat([
      Buffer.from(`{"QueueUrl":"${queueUrl()}","MessageBody":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    expectJsonError(await jsonRequest('AmazonSQS.SendMessage', body));
  });
});

describe('query protocol requests without an Action', () => {
  it.each([['sqs'], ['sns']] as const)(
    'answers a signed %s form without Action with MissingAction (400)',
    async (service) => {
      const response = await queryRequest(aws, service, {});
      expect(response.status).toBe(400);
      expect(xmlText(response.text, 'Code')).toMatch(/MissingAction|InvalidAction/);
    },
  );
});
