/**
 * Finds the links in a chat message. No URL-finding library is installed (linkify-it and the
 * like may not be added), and WeChat text needs rules of its own anyway: a link ends where
 * Chinese text or full-width punctuation starts, and liaisons often leave out the scheme.
 */

/** A link as written, where it stands in the text, and what is stored (null: refused). */
export type FoundLink = { start: number; end: number; written: string; url: string | null; refused?: 'scheme' | 'long' };

/** The longest link the ledger keeps. */
export const MAX_LINK = 2000;

// top-level domains a schemeless link may end in; a short list keeps 8.11 or T5.html out
const TLD = 'cn|com|net|org|gov|edu|info|io|top|xyz|cc|me|biz|site|vip|mil';
// characters that never belong to a link: spaces, CJK, full-width forms and Chinese brackets
const STOP = '\\s<>"\'`\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef\\u2018-\\u201f';
// a path runs to a stop character, or to a comma that starts the next link
const PATH = `(?:(?![,;](?:[a-z][a-z0-9+.-]*://|www\\.))[^${STOP}])`;
const CANDIDATE = new RegExp(
  [
    // any scheme written out, http or not (ftp://, weixin://), to be checked below
    `(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{1,15}://${PATH}+`,
    // schemes a browser runs without "//": never evidence, but found so that the reply can say so
    `(?<![a-z0-9])(?:javascript|data|vbscript|file|mailto):[^${STOP}]+`,
    // www.… or a bare domain with a known ending, optionally a port and a path
    `(?<![\\w.@/-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLD})(?![a-z0-9-])(?::\\d{1,5})?(?:[/?#]${PATH}*)?`,
  ].join('|'),
  'gi',
);
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const TRAILING = /[.,;:!?'"\]}>(\[{<。，；：！？、）】」』》…)]$/;

/** Drops trailing punctuation, but keeps a closing parenthesis the link itself opened (wiki-style). */
function trim(link: string): string {
  let s = link;
  while (TRAILING.test(s)) {
    const count = (c: string) => s.split(c).length - 1;
    if (s.endsWith(')') && count('(') >= count(')')) break;
    s = s.slice(0, -1);
  }
  return s;
}

/** What is stored for a link: http(s) only, with https:// added when no scheme was written. */
function judge(written: string): Pick<FoundLink, 'url' | 'refused'> {
  const scheme = SCHEME.exec(written)?.[1]?.toLowerCase();
  const url = scheme ? written : `https://${written}`;
  if (scheme && scheme !== 'http' && scheme !== 'https') return { url: null, refused: 'scheme' };
  if (url.length > MAX_LINK) return { url: null, refused: 'long' };
  try {
    const host = new URL(url).hostname;
    // a public page has a dotted host name
    return host.includes('.') ? { url } : { url: null, refused: 'scheme' };
  } catch {
    return { url: null, refused: 'scheme' };
  }
}

/** Every link in a (normalized) message, in order, refused ones included. */
export function findLinks(text: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const written = trim(m[0]);
    if (!written) continue;
    found.push({ start: m.index, end: m.index + written.length, written, ...judge(written) });
  }
  return found;
}

/** The text with its links taken out (each replaced by a space), for reading the rest. */
export const withoutLinks = (text: string, links = findLinks(text)): string =>
  links.reduceRight((t, l) => `${t.slice(0, l.start)} ${t.slice(l.end)}`, text);
