/**
 * Splits a long message at line breaks so each part stays under `max` characters
 * (WeChat cuts or refuses very long texts). A single over-long line is cut hard.
 */
export function splitMessage(text: string, max: number): string[] {
  const parts: string[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    for (let piece = line; ; ) {
      const room = cur ? max - cur.length - 1 : max;
      if (piece.length <= room) {
        cur = cur ? `${cur}\n${piece}` : piece;
        break;
      }
      if (cur) {
        parts.push(cur);
        cur = '';
        continue;
      }
      parts.push(piece.slice(0, max));
      piece = piece.slice(max);
    }
  }
  if (cur || parts.length === 0) parts.push(cur);
  return parts;
}
