import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../bot/cli/cli.js';
import { recordingIo } from './helpers.js';

// Golden transcripts: tests/golden/NAME.txt is played by `liaison simulate`; its whole output
// must equal NAME.expected. After a deliberate change, regenerate with UPDATE_GOLDEN=1 and
// read the diff before committing it.
const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url).pathname;

describe('golden transcripts', () => {
  it.each(['binding', 'reporting', 'restart', 'relogin', 'county', 'words'])('%s', async (name) => {
    const { io, out, err } = recordingIo();
    expect(await main(['simulate', golden(`${name}.txt`)], io)).toBe(0);
    expect(err).toEqual([]);
    const actual = `${out.join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden(`${name}.expected`), actual);
    expect(actual).toBe(readFileSync(golden(`${name}.expected`), 'utf8'));
  }, 120_000); // county: 48 liaisons and two rounds
});
