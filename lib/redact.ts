/**
 * The one place that decides what is a secret and hides it. Applied at the boundaries, after the
 * checks ran: the report before any formatter, notification bodies, the snapshot written by
 * `--record`, log lines and error messages (docs/security.md).
 *
 * Three rules:
 * - by key: a string or number under a key whose words name a secret (password, passwd, pwd, pass,
 *   secret, token, credential, apikey, webhook, api_url, `…Key` such as apiKey/accessKey/privateKey),
 *   case-insensitive, at any depth; also `{name: GF_AUTH_TOKEN, value: …}` pairs (Kubernetes env
 *   lists, AWS tags). Keys that only point at a secret (`keyFile`, `tokenPath`, `secretName`,
 *   `passwordRef`, `…Param`) are not secrets, and `key` alone (tolerations, selectors, secretKeyRef) is
 *   a key name, not a key.
 * - by shape, inside any text: URL userinfo, Slack and Discord webhook URLs, `Bearer …`/`Basic …`
 *   credentials, Slack tokens, PEM private keys, `password=…`-style pairs.
 * - by value: every known secret (values of secret-named environment variables — what `${VAR}`
 *   substitution can put into a values file — and values found under secret keys of the user's
 *   values), and its base64 form, wherever it appears as a substring.
 */

export const REDACTED = '[REDACTED]';

const SECRET_WORDS = new Set([
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'apikey',
  'webhook',
  'webhooks',
  'privatekey',
]);
/**
 * A word that ends in a secret word is one too: names written without a separator (`APITOKEN`,
 * `GITHUBTOKEN`, `dbpassword`, `clientsecret`), as environment variables often are.
 */
const SECRET_SUFFIX = /(?:password|passwd|passphrase|secret|token|credential|webhook)s?$|(?:apikey|privatekey)$/;
/** Last words that make a key a pointer to a secret, not the secret itself. */
const POINTER_WORDS = new Set([
  'file',
  'files',
  'path',
  'paths',
  'dir',
  'name',
  'names',
  'ref',
  'param',
  'parameter',
  'arn',
  'enabled',
  'create',
]);

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Keys repeat a lot (every pod has the same ones): the answer is cached, bounded. */
const keyCache = new Map<string, boolean>();

/** Whether a values/config key (or an environment variable name) names a secret. */
export function isSecretKey(key: string): boolean {
  let known = keyCache.get(key);
  if (known === undefined) {
    known = keyIsSecret(key);
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(key, known);
  }
  return known;
}

function keyIsSecret(key: string): boolean {
  const w = words(key);
  if (w.length === 0 || POINTER_WORDS.has(w[w.length - 1])) return false;
  if (w.some((x) => SECRET_WORDS.has(x) || SECRET_SUFFIX.test(x))) return true;
  for (let i = 1; i < w.length; i++) {
    // api_url (Alertmanager's slack_api_url), api_key/api-key/apiKey, accessKey, private_key…
    if (w[i - 1] === 'api' && (w[i] === 'url' || w[i] === 'key')) return true;
    if (w[i] === 'key' || w[i] === 'keys') return true;
  }
  // `key` alone is a key name (tolerations, selectors, secretKeyRef.key), not a secret.
  return false;
}

/** Only values this long are redacted as substrings (shorter ones would shred ordinary text). */
export const MIN_SECRET_LENGTH = 4;

const SHAPES: Array<[RegExp, string | ((...m: string[]) => string)]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/https?:\/\/hooks\.slack\.com\/[^\s"'<>|)\]]+/gi, `https://hooks.slack.com/${REDACTED}`],
  [
    /https?:\/\/(?:canary\.|ptb\.)?discord(?:app)?\.com\/api\/webhooks\/[^\s"'<>|)\]]+/gi,
    `https://discord.com/api/webhooks/${REDACTED}`,
  ],
  // userinfo: keep the user name, hide the password (or the whole userinfo when it is a bare token)
  [
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi,
    (_m, scheme: string, info: string) =>
      info === REDACTED || info.endsWith(`:${REDACTED}`)
        ? `${scheme}${info}@`
        : `${scheme}${info.includes(':') ? `${info.slice(0, info.indexOf(':'))}:${REDACTED}` : REDACTED}@`,
  ],
  [/\b(Bearer|Basic)(\s+)(?!\[REDACTED\])(?![a-z]+\b)[A-Za-z0-9._~+/=-]{8,}/g, `$1$2${REDACTED}`],
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, REDACTED],
  // NAME=value (query strings, --set, environment): only names that are secrets by the key rule
  [
    /([A-Za-z0-9_.[\]-]+)=(?!\[REDACTED\])([^\s&"',;]+)/g,
    (m: string, name: string) =>
      isSecretKey(
        name
          .replace(/\[[^\]]*\]?/g, '')
          .split('.')
          .pop() ?? name,
      )
        ? `${name}=${REDACTED}`
        : m,
  ],
];

/** Cheap pre-test: a string without any of these has no secret shape (most strings of a snapshot). */
const MAYBE_SHAPE = /:\/\/|Bearer|Basic|xox|-----BEGIN|=|\n/;

/** `key: value` lines of multi-line text (a rendered manifest, a YAML excerpt). */
const YAML_LINE = /^(\s*-?\s*"?)([A-Za-z0-9_.-]+)("?\s*:[ \t]+)(?!\[REDACTED\])(\S.*)$/gm;

export class Redactor {
  private readonly secrets: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.addSecret(s);
  }

  /** Adds a value to hide wherever it appears (with its base64 form, as a Secret manifest holds it). */
  addSecret(value: unknown): this {
    if (typeof value !== 'string' && typeof value !== 'number') return this;
    const s = String(value);
    if (s.length < MIN_SECRET_LENGTH || s === REDACTED) return this;
    for (const v of [s, Buffer.from(s).toString('base64')]) if (!this.secrets.includes(v)) this.secrets.push(v);
    // Longest first, so a secret that contains another is hidden whole.
    this.secrets.sort((a, b) => b.length - a.length);
    return this;
  }

  /** Adds every secret another redactor knows. */
  merge(other: Redactor): this {
    for (const s of other.secrets) if (!this.secrets.includes(s)) this.secrets.push(s);
    this.secrets.sort((a, b) => b.length - a.length);
    return this;
  }

  /** Any text: known secrets, then secret shapes. */
  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (!MAYBE_SHAPE.test(out)) return out;
    for (const [re, rep] of SHAPES) out = out.replace(re, rep as string);
    if (out.includes('\n'))
      out = out.replace(YAML_LINE, (m, pre: string, key: string, sep: string) =>
        isSecretKey(key) ? `${pre}${key}${sep}${REDACTED}` : m,
      );
    return out;
  }

  /** A copy of any JSON-like value with secrets hidden by key, by shape and by value. */
  value<T>(v: T): T {
    return this.walk(v, undefined) as T;
  }

  private walk(v: unknown, key: string | undefined): unknown {
    if (typeof v === 'string') {
      if (key !== undefined && v !== '' && isSecretKey(key)) return REDACTED;
      return this.text(v);
    }
    if (typeof v === 'number') return key !== undefined && isSecretKey(key) ? REDACTED : v;
    if (Array.isArray(v)) return v.map((item) => this.walk(item, key));
    if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      // {name: GF_AUTH_TOKEN, value: …} (Kubernetes env), {Key: api-token, Value: …} (AWS tags)
      const pairName = [obj.name, obj.Name, obj.key, obj.Key].find((n) => typeof n === 'string') as string | undefined;
      const pairSecret = pairName !== undefined && isSecretKey(pairName);
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(obj)) {
        out[k] = pairSecret && (k === 'value' || k === 'Value') ? this.walk(child, pairName) : this.walk(child, k);
      }
      return out;
    }
    return v;
  }
}

/** Whether an environment variable's value is a secret: its name says so (SLACK_WEBHOOK_URL, *_TOKEN, …). */
export function isSecretEnvName(name: string): boolean {
  return isSecretKey(name);
}

/** Values under secret keys of a values tree (literal secrets in a values file or `--set`). */
export function secretsInValues(values: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string | undefined) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      const pairName = [obj.name, obj.key].find((n) => typeof n === 'string') as string | undefined;
      for (const [k, child] of Object.entries(obj))
        walk(child, pairName !== undefined && k === 'value' && isSecretKey(pairName) ? pairName : k);
    } else if ((typeof v === 'string' || typeof v === 'number') && key !== undefined && isSecretKey(key))
      out.push(String(v));
  };
  walk(values, undefined);
  return out;
}

/**
 * The redactor for one run: the secret-named variables of `env` (process environment, `--env`,
 * the Lambda's VALUES_ENV) and the secrets written literally in the user's values.
 */
export function redactorFor(input: { env?: Record<string, string | undefined>; values?: unknown }): Redactor {
  const r = new Redactor();
  for (const [name, value] of Object.entries(input.env ?? {})) if (value && isSecretEnvName(name)) r.addSecret(value);
  if (input.values !== undefined) for (const s of secretsInValues(input.values)) r.addSecret(s);
  return r;
}

/** Key and shape rules only (no known values): Helm release configs as they are decoded. */
export function redactValues<T>(value: T): T {
  return new Redactor().value(value);
}
