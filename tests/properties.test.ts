import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { handleMessage, type HandlerDeps } from '../bot/core/inbound.js';
import { normalize, parseCommand } from '../bot/core/commands/parse.js';
import type { Ledger } from '../db/open.js';
import { ACTORS, bindingsFingerprint, freshLedger, ledgerFingerprint } from './fixture-ledger.js';
import { resolver } from './helpers.js';

const WORDS = ['完成', '已完成', '/done', '进展', '信息形成', '/event', '绑定', '/bind', '批准', '驳回', '解绑', '我的任务', '/tasks', '/status', '查询', '分配', '期限', '提醒我', '/report', '帮助'];
// A repeated report is kept in history, and the reply says so at its end.
const SUCCESS = /^(已记录|已登记|已提交申请|已批准|已驳回|已解绑|已将|已设定)|本次报告已记入历史。$/;

const piece = fc.oneof(
  fc.constantFrom('T12', 't12', 'Ｔ１２', '任务12', '第12项', 'T5', 'T0', 'T99999', 'C30', 'B1', 'X1', 'T-1', 'T1.5'),
  fc.constantFrom('县民政局', '县财政局', '县宇宙局', '县教育和体育', '各级各部门', '县民政局等有关部门'),
  fc.constantFrom('2023-09-01', '2023-02-30', '2023/9/1', '2023年9月1日', '2099-01-01', '0000-00-00', '9月1日'),
  fc.constantFrom('https://www.yiyuan.gov.cn/a.html', 'http://x', 'www.example.com', 'javascript:alert(1)', 'ftp://x/y'),
  fc.constantFrom("'; DROP TABLE reports; --", '" OR 1=1 --', '%00', '\\x00', '<script>', '${process.env}'),
  fc.constantFrom('@张主任', '@王芳', '@所有人', '@政务公开助手'),
  fc.constantFrom('😀', '🙏🏻', '👨‍👩‍👧', '\u200b', '\u3000', '\t', '\n', 'Ｈｅｌｌｏ', '。，；'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
/** Something a person might type: maybe a command word, then pieces, in any spacing. */
const message = fc
  .tuple(fc.option(fc.constantFrom(...WORDS), { nil: undefined }), fc.array(piece, { maxLength: 6 }), fc.constantFrom(' ', '　', '  ', ''))
  .map(([word, pieces, sep]) => [word, ...pieces].filter((p) => p !== undefined).join(sep));
const longMessage = fc.string({ minLength: 2000, maxLength: 20000 });

let fixture: { db: Ledger; deps: HandlerDeps } | undefined;
const ledger = () => (fixture ??= freshLedger());
afterAll(() => fixture?.db.$client.close());

const ROLES = Object.keys(ACTORS) as (keyof typeof ACTORS)[];
const handle = (text: string, role: keyof typeof ACTORS, addressed: boolean) =>
  handleMessage({ text, addressed, actor: ACTORS[role], isCoordinator: role === 'coordinator' }, ledger().deps);

describe('whatever people type', () => {
  it('the parser never throws, and anything starting with a command word is understood or answered', () => {
    fc.assert(
      fc.property(fc.oneof(message, longMessage), fc.boolean(), (text, addressed) => {
        const parsed = parseCommand(text, addressed, (n) => resolver.find(n));
        const first = normalize(text).replace(/^(@\S+\s*)+/, '');
        if (WORDS.some((w) => first.toLowerCase().startsWith(w.toLowerCase() + ' ') || first === w) || addressed) expect(parsed).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('a handler never throws; a command-like message gets one reply; nothing is written without a success reply', async () => {
    await fc.assert(
      fc.asyncProperty(message, fc.constantFrom(...ROLES), fc.boolean(), async (text, role, addressed) => {
        const { db } = ledger();
        const before = ledgerFingerprint(db);
        const bindings = bindingsFingerprint(db);
        const reply = await handle(text, role, addressed);
        const commandLike = parseCommand(text, addressed, (n) => resolver.find(n)) !== null;
        expect(reply !== null).toBe(commandLike);
        if (reply) expect(reply.text.length).toBeGreaterThan(0);
        if (ledgerFingerprint(db) !== before) {
          // a write happened: it was a valid command from someone allowed to make it
          expect(reply!.text).toMatch(SUCCESS);
          expect(['liaison', 'otherLiaison', 'coordinator']).toContain(role);
        }
        if (bindingsFingerprint(db) !== bindings && role === 'unbound') expect(reply!.text).toMatch(/^(已提交申请|您绑定)/);
      }),
      { numRuns: 400 },
    );
  }, 120_000);

  it('a very long or strange message is answered or ignored, never thrown on', async () => {
    await fc.assert(
      fc.asyncProperty(longMessage, fc.constantFrom(...ROLES), async (text, role) => {
        const reply = await handle(text, role, true);
        expect(reply).not.toBeNull();
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});
