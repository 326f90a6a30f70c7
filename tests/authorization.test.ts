import { describe, expect, it } from 'vitest';
import { handleMessage } from '../bot/core/inbound.js';
import { text } from '../bot/core/text/messages.js';
import { ACTORS, bindingsFingerprint, freshLedger, ledgerFingerprint } from './fixture-ledger.js';

type Role = keyof typeof ACTORS;
const ROLES: Role[] = ['coordinator', 'liaison', 'otherLiaison', 'unbound', 'renamed'];

// Each command as 王芳, the liaison of 县民政局, would write it; ok/no per role.
const Y = 'ok';
const N = 'denied';
const MATRIX: [string, Record<Role, string>][] = [
  ['帮助', { coordinator: Y, liaison: Y, otherLiaison: Y, unbound: Y, renamed: Y }],
  ['绑定 县商务局', { coordinator: Y, liaison: Y, otherLiaison: Y, unbound: Y, renamed: Y }],
  ['批准 赵强', { coordinator: Y, liaison: N, otherLiaison: N, unbound: N, renamed: N }],
  ['驳回 赵强', { coordinator: Y, liaison: N, otherLiaison: N, unbound: N, renamed: N }],
  ['解绑 刘洋', { coordinator: Y, liaison: N, otherLiaison: N, unbound: N, renamed: N }],
  ['我的任务', { coordinator: N, liaison: Y, otherLiaison: Y, unbound: N, renamed: N }],
  ['完成 T12 https://www.yiyuan.gov.cn/a.html', { coordinator: N, liaison: Y, otherLiaison: N, unbound: N, renamed: N }],
  // a coordinator reports for a unit they name (代报)
  ['完成 T12 县民政局', { coordinator: Y, liaison: Y, otherLiaison: N, unbound: N, renamed: N }],
  ['撤回 T17 县民政局', { coordinator: Y, liaison: Y, otherLiaison: N, unbound: N, renamed: N }],
  ['更正 T17 县民政局 https://www.yiyuan.gov.cn/b.html', { coordinator: Y, liaison: Y, otherLiaison: N, unbound: N, renamed: N }],
  ['自查完成', { coordinator: N, liaison: Y, otherLiaison: Y, unbound: N, renamed: N }],
  ['进展 T12 起草中', { coordinator: N, liaison: Y, otherLiaison: N, unbound: N, renamed: N }],
  ['信息形成 T12 2023-09-01', { coordinator: N, liaison: Y, otherLiaison: N, unbound: N, renamed: N }],
  ['/status', { coordinator: Y, liaison: Y, otherLiaison: Y, unbound: N, renamed: N }],
  ['/status 县民政局', { coordinator: Y, liaison: Y, otherLiaison: N, unbound: N, renamed: N }],
  ['/status T12', { coordinator: Y, liaison: Y, otherLiaison: N, unbound: N, renamed: N }],
  ['分配 T25 县民政局', { coordinator: Y, liaison: N, otherLiaison: N, unbound: N, renamed: N }],
  ['期限 T6 2024-03-31', { coordinator: Y, liaison: N, otherLiaison: N, unbound: N, renamed: N }],
  ['提醒我', { coordinator: N, liaison: Y, otherLiaison: Y, unbound: N, renamed: N }],
  ['/remind', { coordinator: Y, liaison: N, otherLiaison: N, unbound: N, renamed: N }],
  ['/export', { coordinator: Y, liaison: N, otherLiaison: N, unbound: N, renamed: N }],
  ['/report 2023Q3', { coordinator: Y, liaison: N, otherLiaison: N, unbound: N, renamed: N }],
];

const DENIALS = [
  text.coordinatorOnly,
  text.notBound,
  text.statusOnlyOwn,
  text.notYourItem('T12'),
  text.notYourUnit('县民政局'),
  text.identityChanged('县民政局'),
  text.onBehalfNeedsUnit('完成 T12 单位名称 https://www.yiyuan.gov.cn/a.html'),
];

describe('authorisation: every command for every role', () => {
  for (const [command, expected] of MATRIX) {
    it.each(ROLES)(`${command} — %s`, async (role) => {
      const { db, deps } = freshLedger();
      const ledger = ledgerFingerprint(db);
      const bindings = bindingsFingerprint(db);
      const reply = await handleMessage({ text: command, addressed: false, actor: ACTORS[role], isCoordinator: role === 'coordinator' }, deps);
      expect(reply).not.toBeNull();
      const outcome = DENIALS.includes(reply!.text) ? N : Y;
      expect(outcome, reply!.text).toBe(expected[role]);
      if (outcome === N) {
        expect(ledgerFingerprint(db)).toBe(ledger);
        // only the renamed contact files requests, for the coordinator to decide
        if (role !== 'renamed') expect(bindingsFingerprint(db)).toBe(bindings);
      }
      db.$client.close();
    }, 30_000); // /export writes the whole workbook: seconds on a loaded machine
  }
});
