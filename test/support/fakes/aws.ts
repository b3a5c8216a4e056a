/**
 * A loopback fake of the AWS APIs stackcheck reads, speaking their real wire protocols (AWS API
 * reference): ELBv2 and STS in awsQuery (form-encoded request, XML response, `member` lists,
 * Marker pagination, XML ErrorResponse), ACM in JSON 1.1 (`X-Amz-Target`, epoch-second dates),
 * EKS in REST-JSON (`GET /clusters/{name}`). The SDK reaches it only through the standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables. Faults and latency can be injected per call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsState } from '../../../lib/snapshot/types';
import { FaultPlan, sleep } from './faults';

const ELB_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface AwsCall {
  service: 'elbv2' | 'sts' | 'acm' | 'eks' | 'sns';
  action: string;
  params: Record<string, string>;
  /** The access key id the request was signed with (from the SigV4 Authorization header). */
  accessKeyId?: string;
}

/** Credentials the fake STS hands out for AssumeRole. */
export const ASSUMED = {
  accessKeyId: 'ASIAASSUMEDROLETEST',
  secretAccessKey: 'assumed-role-secret',
  sessionToken: 'assumed-session-token',
};

export interface EksClusterInfo {
  name: string;
  endpoint: string;
  caPem: string;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** awsQuery XML of a value: lists as <member> items, structures as elements, scalars as text. */
export function toXml(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined && x !== null)
      .map(([k, x]) => `<${k}>${toXml(x)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(v));
}

function memberList(params: Record<string, string>, name: string): string[] {
  return Object.keys(params)
    .filter((k) => k.startsWith(`${name}.member.`))
    .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
    .map((k) => params[k]);
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function toEpoch(iso: unknown): number | undefined {
  return typeof iso === 'string' ? Date.parse(iso) / 1000 : undefined;
}

export class FakeAws {
  state: AwsState;
  clusters = new Map<string, EksClusterInfo>();
  readonly faults = new FaultPlan();
  readonly calls: AwsCall[] = [];
  pageSize = 400;
  private server?: Server;
  url = '';

  constructor(state: AwsState) {
    this.state = state;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Environment that points the SDK at this fake, with static test credentials. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: this.url,
      AWS_ENDPOINT_URL_ACM: this.url,
      AWS_ENDPOINT_URL_EKS: this.url,
      AWS_ENDPOINT_URL_STS: this.url,
      AWS_ENDPOINT_URL_SNS: this.url,
      AWS_ACCESS_KEY_ID: 'AKIDSTACKCHECKTEST',
      AWS_SECRET_ACCESS_KEY: 'stackcheck-test-secret-key',
      AWS_REGION: 'ap-northeast-2',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  count(service?: string, action?: string): number {
    return this.calls.filter((c) => (!service || c.service === service) && (!action || c.action === action)).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await body(req);
    const before = this.calls.length;
    const signer = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
    res.once('finish', () => {
      for (const c of this.calls.slice(before)) c.accessKeyId = signer;
    });
    const target = req.headers['x-amz-target'];
    if (req.method === 'GET' && req.url?.startsWith('/clusters/'))
      return this.eks(decodeURIComponent(req.url.slice('/clusters/'.length).split('?')[0]), res);
    if (typeof target === 'string' && target.startsWith('CertificateManager.'))
      return this.acm(target.split('.')[1], JSON.parse(text || '{}'), res);
    const params = Object.fromEntries(new URLSearchParams(text));
    if (params.Action === 'GetCallerIdentity' || params.Action === 'AssumeRole') return this.sts(params, res);
    if (params.Version === '2010-03-31') return this.sns(params, res);
    return this.elbv2(params, res);
  }

  /** Applies an injected fault; returns true when the response was already written (or never will be). */
  private async fault(
    service: AwsCall['service'],
    action: string,
    res: ServerResponse,
    kind: 'query' | 'json',
  ): Promise<boolean> {
    if (this.faults.latencyMs) await sleep(this.faults.latencyMs);
    const f = this.faults.take(action);
    if (!f) return false;
    const err = (status: number, code: string, message: string) => {
      if (kind === 'query') {
        res
          .writeHead(status, { 'content-type': 'text/xml' })
          .end(
            `<ErrorResponse xmlns="${service === 'sts' ? STS_NS : ELB_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>req-${Date.now()}</RequestId></ErrorResponse>`,
          );
      } else {
        res
          .writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code })
          .end(JSON.stringify({ __type: code, message }));
      }
    };
    switch (f.kind) {
      case 'throttle':
        err(400, kind === 'query' ? 'Throttling' : 'ThrottlingException', 'Rate exceeded');
        return true;
      case 'error500':
        err(
          500,
          kind === 'query' ? 'InternalFailure' : 'InternalFailureException',
          'We encountered an internal error. Please try again.',
        );
        return true;
      case 'accessDenied':
        err(
          403,
          kind === 'query' ? 'AccessDenied' : 'AccessDeniedException',
          `User: arn:aws:sts::111122223333:assumed-role/stackcheck/test is not authorized to perform: ${service === 'acm' ? 'acm' : service === 'eks' ? 'eks' : 'elasticloadbalancing'}:${action}`,
        );
        return true;
      case 'unauthorized':
        err(
          403,
          kind === 'query' ? 'InvalidClientTokenId' : 'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
        return true;
      case 'malformed':
        res
          .writeHead(200, { 'content-type': kind === 'query' ? 'text/xml' : 'application/x-amz-json-1.1' })
          .end(kind === 'query' ? '<DescribeRulesResponse><Desc' : '{"Certificate": {');
        return true;
      case 'hang':
        // Never answer; the client's timeout must fire. The socket is closed by stop().
        return true;
    }
  }

  private page<T>(items: T[], marker: string | undefined, pageSize?: string): { items: T[]; next?: string } {
    const size = Math.min(Number(pageSize) || this.pageSize, this.pageSize);
    const start = Number(marker ?? 0);
    const next = start + size < items.length ? String(start + size) : undefined;
    return { items: items.slice(start, start + size), ...(next ? { next } : {}) };
  }

  private async elbv2(params: Record<string, string>, res: ServerResponse): Promise<void> {
    const action = params.Action;
    this.calls.push({ service: 'elbv2', action, params });
    if (params.Version !== '2015-12-01') {
      res
        .writeHead(400)
        .end(
          `<ErrorResponse xmlns="${ELB_NS}"><Error><Code>InvalidAction</Code><Message>bad version</Message></Error></ErrorResponse>`,
        );
      return;
    }
    if (await this.fault('elbv2', action, res, 'query')) return;
    const s = this.state;
    let result: Record<string, unknown>;
    switch (action) {
      case 'DescribeLoadBalancers': {
        const names = memberList(params, 'Names');
        const arns = memberList(params, 'LoadBalancerArns');
        let lbs = s.loadBalancers;
        if (names.length) {
          lbs = lbs.filter((l) => names.includes(l.LoadBalancerName ?? ''));
          if (lbs.length === 0)
            return this.queryError(res, 400, 'LoadBalancerNotFound', `One or more load balancers not found`);
        }
        if (arns.length) lbs = lbs.filter((l) => arns.includes(l.LoadBalancerArn));
        const p = this.page(lbs, params.Marker, params.PageSize);
        result = { LoadBalancers: p.items, NextMarker: p.next };
        break;
      }
      case 'DescribeListeners': {
        const p = this.page(
          s.listeners.filter((l) => l.LoadBalancerArn === params.LoadBalancerArn),
          params.Marker,
          params.PageSize,
        );
        result = { Listeners: p.items, NextMarker: p.next };
        break;
      }
      case 'DescribeRules': {
        const rules = s.rules[params.ListenerArn];
        if (!rules) return this.queryError(res, 400, 'ListenerNotFound', 'One or more listeners not found');
        const p = this.page(rules, params.Marker, params.PageSize);
        result = { Rules: p.items, NextMarker: p.next };
        break;
      }
      case 'DescribeTargetGroups': {
        const tgs = s.targetGroups.filter(
          (t) => !params.LoadBalancerArn || (t.LoadBalancerArns ?? []).includes(params.LoadBalancerArn),
        );
        const p = this.page(tgs, params.Marker, params.PageSize);
        result = { TargetGroups: p.items, NextMarker: p.next };
        break;
      }
      case 'DescribeTargetHealth': {
        const th = s.targetHealth[params.TargetGroupArn];
        if (!th) return this.queryError(res, 400, 'TargetGroupNotFound', 'One or more target groups not found');
        result = { TargetHealthDescriptions: th };
        break;
      }
      case 'DescribeTags': {
        const arns = memberList(params, 'ResourceArns');
        if (arns.length > 20)
          return this.queryError(
            res,
            400,
            'ValidationError',
            `1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20`,
          );
        result = { TagDescriptions: arns.map((a) => ({ ResourceArn: a, Tags: s.tags[a] ?? [] })) };
        break;
      }
      default:
        return this.queryError(res, 400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<${action}Response xmlns="${ELB_NS}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>req-${this.calls.length}</RequestId></ResponseMetadata></${action}Response>`,
      );
  }

  private queryError(res: ServerResponse, status: number, code: string, message: string): void {
    res
      .writeHead(status, { 'content-type': 'text/xml' })
      .end(
        `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`,
      );
  }

  /** SNS messages published, decoded from the awsQuery form (Publish). */
  published(): Array<{
    topicArn: string;
    subject?: string;
    message: string;
    structure?: string;
    attributes: Record<string, string>;
  }> {
    return this.calls
      .filter((c) => c.service === 'sns' && c.action === 'Publish' && c.params.ok === 'true')
      .map((c) => {
        const attributes: Record<string, string> = {};
        for (let i = 1; c.params[`MessageAttributes.entry.${i}.Name`]; i++)
          attributes[c.params[`MessageAttributes.entry.${i}.Name`]] =
            c.params[`MessageAttributes.entry.${i}.Value.StringValue`];
        return {
          topicArn: c.params.TopicArn,
          subject: c.params.Subject,
          message: c.params.Message,
          structure: c.params.MessageStructure,
          attributes,
        };
      });
  }

  private async sns(params: Record<string, string>, res: ServerResponse): Promise<void> {
    const call: AwsCall = { service: 'sns', action: params.Action, params: { ...params } };
    this.calls.push(call);
    const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
    const error = (status: number, code: string, message: string) =>
      res
        .writeHead(status, { 'content-type': 'text/xml' })
        .end(
          `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>req-sns</RequestId></ErrorResponse>`,
        );
    if (params.Action !== 'Publish')
      return void error(400, 'InvalidAction', `${params.Action} is not supported by this fake`);
    if (await this.fault('sns' as AwsCall['service'], 'Publish', res, 'query')) return;
    if (!params.TopicArn || !/^arn:aws:sns:/.test(params.TopicArn))
      return void error(400, 'InvalidParameter', 'Invalid parameter: TopicArn');
    if (!params.Message) return void error(400, 'InvalidParameter', 'Invalid parameter: Empty message');
    if (Buffer.byteLength(params.Message) > 262_144)
      return void error(400, 'InvalidParameter', 'Invalid parameter: Message too long');
    if (params.Subject !== undefined && (params.Subject.length > 100 || !/^[\x20-\x7E]+$/.test(params.Subject)))
      return void error(400, 'InvalidParameter', 'Invalid parameter: Subject');
    if (params.MessageStructure === 'json') {
      try {
        if (typeof JSON.parse(params.Message).default !== 'string') throw new Error('no default');
      } catch {
        return void error(
          400,
          'InvalidParameter',
          'Invalid parameter: Message Structure - No default entry in JSON message body',
        );
      }
    }
    call.params.ok = 'true';
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>${crypto.randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>req-${this.calls.length}</RequestId></ResponseMetadata></PublishResponse>`,
      );
  }

  private async sts(params: Record<string, string>, res: ServerResponse): Promise<void> {
    this.calls.push({ service: 'sts', action: params.Action, params });
    if (await this.fault('sts', params.Action, res, 'query')) return;
    if (params.Action === 'AssumeRole') {
      const exp = new Date(Date.now() + 3600_000).toISOString();
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><Credentials><AccessKeyId>${ASSUMED.accessKeyId}</AccessKeyId><SecretAccessKey>${ASSUMED.secretAccessKey}</SecretAccessKey><SessionToken>${ASSUMED.sessionToken}</SessionToken><Expiration>${exp}</Expiration></Credentials><AssumedRoleUser><Arn>${xmlEscape(params.RoleArn)}/${xmlEscape(params.RoleSessionName)}</Arn><AssumedRoleId>AROAEXAMPLE:${xmlEscape(params.RoleSessionName)}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>req-assume</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/stackcheck/test</Arn><UserId>AROAEXAMPLE:test</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>req-sts</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
  }

  private async acm(action: string, input: { CertificateArn?: string }, res: ServerResponse): Promise<void> {
    this.calls.push({ service: 'acm', action, params: { CertificateArn: input.CertificateArn ?? '' } });
    if (await this.fault('acm', action, res, 'json')) return;
    const send = (status: number, doc: unknown, type?: string): void => {
      res
        .writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          ...(type ? { 'x-amzn-errortype': type } : {}),
        })
        .end(JSON.stringify(doc));
    };
    if (action !== 'DescribeCertificate')
      return send(400, { __type: 'UnknownOperationException' }, 'UnknownOperationException');
    const cert = input.CertificateArn ? this.state.certificates[input.CertificateArn] : undefined;
    if (!cert)
      return send(
        400,
        { __type: 'ResourceNotFoundException', message: `Could not find certificate ${input.CertificateArn}.` },
        'ResourceNotFoundException',
      );
    const dates = ['CreatedAt', 'IssuedAt', 'ImportedAt', 'RevokedAt', 'NotBefore', 'NotAfter'];
    const wire = Object.fromEntries(Object.entries(cert).map(([k, v]) => [k, dates.includes(k) ? toEpoch(v) : v]));
    send(200, { Certificate: wire });
  }

  private async eks(name: string, res: ServerResponse): Promise<void> {
    this.calls.push({ service: 'eks', action: 'DescribeCluster', params: { name } });
    if (await this.fault('eks', 'DescribeCluster', res, 'json')) return;
    const c = this.clusters.get(name);
    if (!c) {
      res
        .writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' })
        .end(JSON.stringify({ message: `No cluster found for name: ${name}.` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        cluster: {
          name,
          arn: `arn:aws:eks:ap-northeast-2:111122223333:cluster/${name}`,
          createdAt: 1761987600,
          version: '1.28',
          endpoint: c.endpoint,
          roleArn: 'arn:aws:iam::111122223333:role/myeks-cluster',
          status: 'ACTIVE',
          certificateAuthority: { data: Buffer.from(c.caPem).toString('base64') },
          accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
          platformVersion: 'eks.7',
        },
      }),
    );
  }
}
