/**
 * Text into Slack mrkdwn. Slack reads `<…>` as links and mentions (`<!channel>`, `<@U123>`,
 * `<http://x|text>`) and `&` as the start of an entity, so text that comes from alerts or from the
 * cluster is escaped before it is put into a message, and links are built only from http(s) URLs.
 */

/** Escapes `&`, `<` and `>` as Slack asks (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function mrkdwn(text: string): string {
  // Most text has none of the three: one scan, and the string itself back.
  return /[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
}

/** The URL as it may stand inside `<…|…>`, or undefined unless it parses as an http(s) URL. */
export function linkTarget(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.href.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

/** `<url|text>` with the text escaped, or undefined when the URL is not http(s). */
export function mrkdwnLink(url: string, text: string): string | undefined {
  const target = linkTarget(url);
  return target === undefined ? undefined : `<${target}|${mrkdwn(text)}>`;
}
