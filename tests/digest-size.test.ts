import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRound, roundMessages, type Placement } from '../bot/core/reminders/rounds.js';
import { ensurePlan } from '../bot/runtime/setup.js';
import { decideRequest, requestBinding } from '../db/liaisons.js';
import { openLedger } from '../db/open.js';
import { currentPlan } from '../db/queries.js';
import { recordReminders, type OutgoingWithKeys } from '../db/reminders.js';
import { allUnits } from '../db/synthetic.js';
import { seedFiles } from '../seeds/files.js';
import { addDays } from '../schedules/calendar.js';
import { fromShanghai } from '../schedules/clock.js';
import { defaultLadder } from '../schedules/ladder.js';
import { calendar, directory, tempDir } from './helpers.js';

// Issue 14: the 2023 plan, every unit bound, nobody reporting, Aug–Dec 2023. People read
// characters, not messages: what the group receives a day (coordinator summary included,
// each @name counted as written) must stay short.
describe('characters the group receives a day', () => {
  it('stays within 2,500 on the worst day and 1,200 on a typical day; private details within 1,000', () => {
    const db = openLedger(join(tempDir(), 'ledger.db'));
    const now = '2023-08-10T01:00:00Z';
    ensurePlan(db, seedFiles.plan, directory, calendar, now);
    const names = new Map<string, string>();
    for (const u of allUnits(db)) {
      const contactId = `c-${u.id}`;
      names.set(contactId, `联络员${u.id}`);
      const r = requestBinding(db, { contactId, name: names.get(contactId)!, unitId: u.id, now });
      decideRequest(db, r.binding.id, 'approved', '张主任', now);
    }
    names.set('c-coord', '张主任');
    const placement: Placement = {
      channel: 'test',
      privateMessages: true,
      groupOf: (ids) => new Map(ids.map((id) => [id, 'group'])),
      coordinatorRoom: () => ({ conversationId: 'group', contactIds: ['c-coord'] }),
    };
    const plan = currentPlan(db)!;
    /** a message's characters as the group reads them, each @name included */
    const written = (m: OutgoingWithKeys) => m.parts.join('').length + m.mentions.reduce((k, id) => k + names.get(id)!.length + 1, 0);
    const perDay: number[] = [];
    const split: string[] = [];
    let privateMax = 0;
    let weeklyPrivateMax = 0;
    for (let day = '2023-08-10'; day <= '2023-12-31'; day = addDays(day, 1)) {
      const at = fromShanghai(`${day} 09:00`)!;
      const round = planRound(db, plan, calendar, defaultLadder, at);
      if (!round) continue;
      const messages = roundMessages(round, placement, false, 1500);
      recordReminders(db, round.intents, messages, at.toISOString());
      const group = messages.filter((m) => m.targetKind === 'room');
      // one digest per round, split only where one message would pass outbox.maxLength (1,500)
      const parts = group.filter((m) => m.parts[0]!.startsWith('【政务公开提醒】'));
      if (parts.length > 1) {
        split.push(day);
        expect(written(parts[0]!) + written(parts[1]!), day).toBeGreaterThan(1500);
      }
      perDay.push(group.reduce((n, m) => n + written(m), 0));
      // each liaison at most one private message a day
      const privately = messages.filter((m) => m.targetKind === 'contact');
      expect(new Set(privately.map((m) => m.target)).size).toBe(privately.length);
      for (const m of privately) {
        if (round.weekly) weeklyPrivateMax = Math.max(weeklyPrivateMax, m.parts[0]!.length);
        else privateMax = Math.max(privateMax, m.parts[0]!.length);
      }
    }
    const sorted = [...perDay].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(sorted.at(-1)).toBeLessThanOrEqual(2500);
    expect(median).toBeLessThanOrEqual(1200);
    expect(privateMax).toBeLessThanOrEqual(1000);
    expect(weeklyPrivateMax).toBeLessThanOrEqual(1500);
    console.log(`group characters a day: max ${sorted.at(-1)}, median ${median}; private max ${privateMax}, weekly ${weeklyPrivateMax}; split on ${split.join(', ')}`);
    // split only on the days most of the county has a step at once (a due date shared by every unit)
    expect(split.length).toBeLessThanOrEqual(12);
  }, 120_000);
});
