// The helpUri base of SARIF rules (check --help-uri-base, sarif.helpUriBase of wavegate.yaml).
// Light on purpose: loadSettings checks wavegate.yaml's value with it.
import { UserError } from '../errors.js';

/**
 * Checks a helpUri base (`--help-uri-base`, or `sarif.helpUriBase` of wavegate.yaml, named by
 * `where` in the error) and returns it as a URI: an absolute URI with a scheme and `//`
 * (http(s), or file for a local copy), no whitespace or control character, no fragment
 * (wavegate appends `#<rule id>`). Returned as WHATWG URL serialises it (a host lowercased,
 * non-ASCII percent- or punycode-encoded), so the SARIF `helpUri` is a valid RFC 3986 URI.
 * Throws UserError (exit 2) otherwise.
 */
export function helpUriBase(value: string, where: string): string {
  const bad = (why: string): UserError =>
    new UserError(
      `${where}: ${JSON.stringify(value)} ${why}; expected the absolute URI of a hosted docs/rules.md, such as https://git.example.com/platform/wavegate/blob/main/docs/rules.md (each rule's helpUri is <base>#<rule id>)`,
    );
  // refused rather than let URL drop (tabs, newlines) or encode (spaces) them silently
  if (/[\s\u0000-\u001f\u007f]/.test(value)) throw bad('holds whitespace or a control character');
  if (value.includes('#')) throw bad('has a #fragment, and wavegate appends one per rule');
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) throw bad('is not an absolute URI (no scheme://)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('is not a valid URI');
  }
  // (URL reads https:///x as https://x/: the host must be written, not found in the path)
  if (url.protocol !== 'file:' && (url.host === '' || /^[^:]+:\/\/\//.test(value))) throw bad('has no host');
  return url.href;
}
