import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { handleMessage } from '../bot/core/inbound.js';
import { inTransaction } from '../db/open.js';
import { ACTORS, bindingsFingerprint, freshLedger } from './fixture-ledger.js';

// tests/corpus/messages.tsv: what people really type, each with its effect on the ledger and the
// kind of answer. Every message runs on the same ledger and is rolled back after.
const lines = readFileSync(new URL('./corpus/messages.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [who, message, effect, answer] = l.split('\t') as [string, string, string, string];
    return { who, message: message.replace(/\\n/g, '\n'), effect, answer };
  });

/** The kind of an answer, by its words. */
const KINDS: Record<string, RegExp | null> = {
  recorded: /^已记录(：| \d+ 项完成：)/,
  'recorded+refused': /^已记录 \d+ 项完成：[\s\S]*\n未记录：\n· /,
  refused: /^未记录：\n· /,
  history: /本次报告已记入历史。$/,
  'recorded+history': /^已记录 \d+ 项完成：[\s\S]*本次报告已记入历史。$/,
  notbegun: /尚未开始，不能登记(自查)?完成。$/,
  withdrawn: /^已撤回：县民政局 T16 于2023-09-04登记的完成，该项重新列为待办；原报告保留在历史中。$/,
  withdrawnbehalf: /^已撤回：县商务局（协调员代报） T17 /,
  nothingtowithdraw: /还没有登记完成，无需撤回。$/,
  corrected: /^已更正：县民政局 T16 的公开链接改为 https:\/\/\S+；原链接保留在历史中。$/,
  correctedbehalf: /^已更正：县商务局（协调员代报） T17 /,
  nothingtocorrect: /还没有登记完成。请发送：完成 T16 链接$/,
  onbehalf: /^已记录：县商务局（协调员代报） T17 完成/,
  needsunit: /^代单位报告请写明单位，如：完成 T17 单位名称/,
  nottheiritem: /^T5 不是县民政局的任务。$/,
  selfcheck: /^已记录：县民政局 2023-Q3 季度自查完成，共 \d+ 项。$/,
  selfcheckdone: /^县民政局 2023-Q3 季度自查 \d+ 项已全部记为完成。$/,
  nosuchperiod: /没有 .+ 这一期。$/,
  badlink: /不是网页链接|超过2000个字符/,
  question: /^要登记 .+ 完成吗？请发送：完成 /,
  notyours: /不是您所在单位的任务/,
  notyourunit: /^您不是.+的联络员/,
  unknown: /^没有找到任务/,
  format: /\n格式：/,
  notbound: /^您还没有绑定单位/,
  tasks: /待办|没有待办/,
  status: /台账|时限：/,
  help: /^发送「帮助」查看可用命令。$/,
  helptext: /^联络员可用命令：/,
  remindme: /提醒|没有需要提醒|待办/,
  progress: /^已(记录|登记)/,
  future: /还没到/,
  event: /^已登记：县民政局 T12 信息形成或变更于2023-08-11，/,
  eventtoday: /^已登记：县民政局 T12 信息形成或变更于2023-09-04，/,
  eventyesterday: /^已登记：县民政局 T12 信息形成或变更于2023-09-03，/,
  eventdaybefore: /^已登记：县民政局 T12 信息形成或变更于2023-09-02，/,
  beforeplan: /^2022-12-01 早于2023年工作方案/,
  quarterreport: /^季度检查 2023Q3/,
  bindreq: /^已提交申请：绑定 县商务局/,
  approved: /^已批准：赵强 为县商务局联络员。$/,
  didyoumean: /^没有找到单位「.+」，您是不是指：县商务局/,
  bindtwo: /^已提交申请：绑定 县商务局，等待协调员批准。\n已提交申请：绑定 县财政局，等待协调员批准。$/,
  // 和 inside a unit's own name does not split it
  bindand: /^已提交申请：绑定 县教育和体育局，等待协调员批准。$/,
  bindandtwo: /^已提交申请：绑定 县工业和信息化局，等待协调员批准。\n已提交申请：绑定 县商务局，等待协调员批准。$/,
  approvedsun: /^已批准：孙丽 为县商务局联络员。\n已批准：孙丽 为县财政局联络员。$/,
  bindsun: /^已提交申请：绑定 县民政局/,
  rejected: /^已驳回：赵强/,
  pending: /^待批准的绑定申请/,
  coordonly: /^只有协调员/,
  unknowncmd: /^不认识的命令/,
  silent: null,
};

const fixture = freshLedger();
afterAll(() => fixture.db.$client.close());
// the corpus names people; 'renamed' shares 王芳's name and is left out
const byName = Object.fromEntries(
  Object.entries(ACTORS)
    .filter(([role]) => role !== 'renamed')
    .map(([role, a]) => [a.name, { role, actor: a }]),
);

const completions = () =>
  fixture.db.$client
    .prepare('select a.id, i.ref, a.occurrence, r.evidence from assignments a join items i on i.id = a.item_id join reports r on r.id = a.done_report_id')
    .all() as { id: number; ref: string; occurrence: string; evidence: string | null }[];
const label = (c: { ref: string; occurrence: string }) => (c.occurrence ? `${c.ref}(${c.occurrence})` : c.ref);
const reportCount = () => (fixture.db.$client.prepare('select count(*) n from reports').get() as { n: number }).n;

class Rollback extends Error {}

const say = (who: string, message: string) => {
  const { role, actor } = byName[who]!;
  const addressed = message.includes('@政务公开助手');
  const reply = handleMessage({ text: message, addressed, actor, isCoordinator: role === 'coordinator' }, fixture.deps);
  if (reply instanceof Promise) throw new Error('no waiting commands in the corpus');
  return reply;
};

/**
 * Runs one message (after the messages before ' ⏵ ', said first by the same person or the one
 * named as 'name> ') and undoes
 * what it wrote: its answer and its effect on the ledger.
 */
function run(who: string, messages: string): { answer: string | null; effect: string; stored: string } {
  const earlier = messages.split(' ⏵ ');
  const message = earlier.pop()!;
  let out: { answer: string | null; effect: string; stored: string } | undefined;
  try {
    inTransaction(fixture.db, () => {
      const lastReport = (fixture.db.$client.prepare('select coalesce(max(id), 0) id from reports').get() as { id: number }).id;
      // an earlier message may name another speaker: 孙丽> 绑定 县商务局
      for (const m of earlier) {
        const other = /^(\S+)> (.*)$/.exec(m);
        say(other ? other[1]! : who, other ? other[2]! : m);
      }
      const before = new Set(completions().map((c) => c.id));
      const reports = reportCount();
      const bindings = bindingsFingerprint(fixture.db);
      const reply = say(who, message);
      const now = completions();
      const done = now.filter((c) => !before.has(c.id));
      const reopened = before.size > now.length;
      const corrected = fixture.db.$client.prepare("select evidence from reports where kind = 'correction' order by id desc limit 1").get() as { evidence: string } | undefined;
      // a self-check closes many rows at once: checked by its reply's count instead
      const selfCheck = done.length > 1 && done.every((c) => c.occurrence === '2023-Q3') && /季度自查完成，共 (\d+) 项/.exec(reply?.text ?? '')?.[1] === String(done.length);
      const effect = selfCheck
        ? 'selfcheck'
        : reopened
          ? 'reopen'
          : corrected
            ? `corrected=${corrected.evidence}`
            : done.length
        ? done.map((c) => (c.evidence ? `${label(c)}=${c.evidence}` : label(c))).join(',')
        : bindingsFingerprint(fixture.db) !== bindings
          ? 'bind'
          : reportCount() !== reports
            ? 'report'
            : '-';
      // every link and note the whole run stored, for the check that replies name only stored links
      const stored = JSON.stringify(fixture.db.$client.prepare('select evidence, note from reports where id > ?').all(lastReport));
      out = { answer: reply?.text ?? null, effect, stored };
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return out!;
}

describe('the corpus of real messages', () => {
  const results = lines.map((l) => ({ ...l, got: run(l.who, l.message) }));

  it('holds at least 200 messages', () => {
    expect(lines.length).toBeGreaterThanOrEqual(200);
  });

  it.each(results.map((r) => [r.message.replace(/\n/g, '⏎').slice(0, 60), r] as const))('%s', (_name, r) => {
    expect(r.got, r.got.answer ?? "").toMatchObject({ effect: r.effect });
    const kind = KINDS[r.answer];
    expect(kind, `unknown answer kind ${r.answer}`).toBeDefined();
    if (kind === null) expect(r.got.answer).toBeNull();
    else expect(r.got.answer).toMatch(kind!);
    // a reply names only links that were stored (a refused one is quoted as written, and said so)
    if (r.answer !== 'badlink') for (const url of r.got.answer?.match(/https?:\/\/[^\s\u3000-\u303f\uff00-\uffef…]+/g) ?? []) expect(r.got.stored).toContain(url);
  });

  it('prints the share understood', () => {
    const understood = results.filter((r) => r.got.answer !== null && !/发送「帮助」|\n格式：/.test(r.got.answer)).length;
    const passed = results.filter((r) => r.got.effect === r.effect).length;
    console.log(`corpus: ${lines.length} messages, ${understood} understood (${Math.round((understood / lines.length) * 100)}%), ${passed} with the expected effect`);
  });
});
