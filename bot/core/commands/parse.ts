import { argText, inputText, usage } from '../text/messages.js';
import { afterQuote, doneInWords, findRefs, normalize, parseDone, unitArg, type Command, type ParseError, type UnitLookup } from './args.js';
import type { CommandSpec } from './context.js';
import { commands } from './index.js';
import { withoutLinks } from './links.js';

export { normalize, type Command, type UnitLookup } from './args.js';
export type Parsed = Command | ParseError | null;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// each command's words as one pattern at the start of a message
const STARTS = (Object.values(commands) as CommandSpec[]).map((spec) => ({
  spec,
  re: new RegExp(`^(?:${spec.words.map((w) => (typeof w === 'string' ? escape(w) : w.source)).join('|')})`, 'i'),
}));
// after the word: a space, punctuation, a ref or the end
const BOUNDARY = /^(\s|$|[\]】」)>:,、.。!?;~]|[TtCcBb]\s*\d|任务\s*\d|第\s*\d)/;
// punctuation and brackets around a command word or its arguments
const PUNCT = /^[\s\]】」)>:,、.。!?;~]+|[\s\[【「(<:,、.。!?;~]+$/g;

/** The command whose word starts the text (the longest word wins: 自查完成 over 完成), and the rest. */
function commandWord(head: string, lookup: UnitLookup): { spec: CommandSpec; word: string; rest: string } | null {
  let best: { spec: CommandSpec; word: string; rest: string } | null = null;
  for (const { spec, re } of STARTS) {
    const m = re.exec(head);
    if (!m || (best && best.word.length >= m[0].length)) continue;
    const after = head.slice(m[0].length);
    const rest = after.replace(PUNCT, '').trim();
    if (!BOUNDARY.test(after) && !(spec.unitArg && lookup(unitArg(rest, lookup)))) continue;
    best = { spec, word: m[0], rest };
  }
  return best;
}

/**
 * Reads a chat message. `addressed` is true in a private chat or when the bot is @mentioned:
 * then anything unknown gets the help hint, and items named without a verb a question; in a
 * group, text that is neither a command nor a completion in words is chatter and gives null.
 */
export function parseCommand(raw: string, addressed: boolean, lookup: UnitLookup): Parsed {
  // drop @mentions in front (the bot's own, in a group)
  const text = normalize(afterQuote(raw)).replace(/^(@\S+\s*)+/, '').trim();
  const found = commandWord(text.replace(/^[\[【「(<]\s*/, ''), lookup);
  if (found) return found.spec.parse(found.rest, lookup, found.word);
  if (doneInWords(text)) return parseDone(text, lookup);
  if (/^\/\S/.test(text)) return { error: `${argText.unknownCommand(text.split(' ')[0]!)}\n${usage.help}` };
  if (!addressed) return null;
  const { refs } = findRefs(withoutLinks(text));
  return { error: refs.length ? inputText.confirmDone(refs) : usage.help };
}
