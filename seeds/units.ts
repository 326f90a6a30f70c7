import { z } from 'zod';
import type { UnitAssignment } from './plan-types.js';

export const unitKinds = ['department', 'town', 'zone', 'enterprise'] as const;
export type UnitKind = (typeof unitKinds)[number];

/** 单位名录: the county's units, as the coordinator edits them in seeds/units.json. */
export const directorySchema = z.object({
  aliases: z.record(z.string(), z.string()),
  units: z.array(z.object({ name: z.string().min(1), kind: z.enum(unitKinds) })).min(1),
});
export type UnitDirectory = z.infer<typeof directorySchema>;

export function parseDirectory(json: string): UnitDirectory {
  const dir = directorySchema.parse(JSON.parse(json));
  const names = new Set(dir.units.map((u) => u.name));
  for (const [alias, name] of Object.entries(dir.aliases)) {
    if (!names.has(name)) throw new Error(`unit directory: alias ${alias} points to ${name}, which is not a unit`);
  }
  return dir;
}

// 各级各部门单位, 所有部门单位 (after 部门、单位 is folded into 部门单位)
const EVERYONE = /^(各级各部门(单位)?|所有部门(单位)?)$/;
// 各镇（街道）, 各镇（街道、经济开发区）
const TOWNS = /^各镇[(（]街道(、经济开发区)?[)）]$/;
// 除县司法局、县信访局外的部门单位
const EXCEPT = /^除(.+)外的?(部门单位|部门|单位)$/;
// 县司法局牵头，…具体落实
const LEAD = /^(.+?)牵头[，,](.+?)(具体落实|配合落实|配合)?$/;
// 县审计局等有关部门单位, 县政府办公室及相关部门单位
const NAMED_PLUS = /^(.+?)(等有关|等相关|及相关)(.*)$/;

/** Splits on 、 and ， outside brackets, so 各镇（街道、经济开发区） stays whole. */
function splitList(cell: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of cell) {
    if (ch === '（' || ch === '(') depth++;
    if (ch === '）' || ch === ')') depth--;
    if (depth === 0 && (ch === '、' || ch === '，' || ch === ',')) {
      if (cur) parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) parts.push(cur);
  return parts;
}

export class UnitResolver {
  private readonly byName = new Map<string, string>();
  constructor(private readonly dir: UnitDirectory) {
    for (const u of dir.units) this.byName.set(u.name, u.name);
    for (const [alias, name] of Object.entries(dir.aliases)) this.byName.set(alias, name);
  }

  /** Every unit an all-units cell covers; public enterprises only when named. */
  everyone(): string[] {
    return this.dir.units.filter((u) => u.kind !== 'enterprise').map((u) => u.name);
  }

  lookup(name: string): string | undefined {
    return this.byName.get(name.replace(/\s+/g, ''));
  }

  /**
   * A unit as people write it in chat: the directory name or an alias, with 县 left out or
   * 局 doubled (县商务局局), or a shortening only one unit's name contains (商务局, 退役军人局).
   * A chat lookup only: the plan's own cells are read strictly by lookup.
   */
  find(written: string): string | undefined {
    const name = written.replace(/\s+/g, '').replace(/局局$/, '局').replace(/^县县/, '县');
    const exact = this.lookup(name) ?? this.lookup(`县${name}`);
    // a shortening names a kind of unit (…局, …中心), so that stray words in a message never match
    if (exact || !/..(局|委|办|院|所|镇|街道|中心|公司|会|部|队|站|馆)$/.test(name)) return exact;
    const containing = [...this.byName.keys()].filter((n) => n.includes(name)).map((n) => this.byName.get(n)!);
    const units = [...new Set(containing)];
    return units.length === 1 ? units[0] : undefined;
  }

  /**
   * Up to three units a name that did not resolve may have meant, closest first: those whose
   * name contains it, then those sharing most of its characters (县 and 局 aside).
   */
  suggest(written: string): string[] {
    const key = written.replace(/\s+/g, '').replace(/^县/, '').replace(/局$/, '');
    if (!key) return [];
    const chars = [...new Set(key)];
    const score = (name: string) => (name.includes(key) ? 100 : 0) + chars.filter((c) => name.includes(c)).length;
    const need = Math.max(1, Math.ceil(chars.length / 2));
    return this.dir.units
      .map((u) => ({ name: u.name, score: score(u.name) }))
      .filter((u) => u.score >= need)
      .sort((a, b) => b.score - a.score || a.name.length - b.name.length)
      .slice(0, 3)
      .map((u) => u.name);
  }

  /** Resolves a 责任单位 / 评估对象 cell; anything it cannot name goes to `unassigned`. */
  resolve(cell: string): UnitAssignment {
    const text = cell.replace(/\s+/g, '').replace(/部门、单位/g, '部门单位');
    const out: UnitAssignment = { units: [], lead: null, unassigned: [] };
    if (!text) return out;
    const lead = LEAD.exec(text);
    if (lead) {
      const head = this.resolve(lead[1]!);
      const rest = this.resolve(lead[2]!);
      out.lead = head.units[0] ?? null;
      this.merge(out, head);
      this.merge(out, rest);
      return out;
    }
    const except = EXCEPT.exec(text);
    if (except) {
      const excluded = new Set(splitList(except[1]!).map((n) => this.lookup(n) ?? n));
      out.units = this.everyone().filter((u) => !excluded.has(u));
      return out;
    }
    for (const part of splitList(text)) this.resolvePart(part, out);
    return out;
  }

  private resolvePart(part: string, out: UnitAssignment): void {
    if (EVERYONE.test(part)) return this.add(out, this.everyone());
    const towns = TOWNS.exec(part);
    if (towns) {
      const kinds = towns[1] ? ['town', 'zone'] : ['town'];
      return this.add(out, this.dir.units.filter((u) => kinds.includes(u.kind)).map((u) => u.name));
    }
    const known = this.lookup(part);
    if (known) return this.add(out, [known]);
    const plus = NAMED_PLUS.exec(part);
    if (plus && this.lookup(plus[1]!)) {
      this.add(out, [this.lookup(plus[1]!)!]);
      out.unassigned.push(part);
      return;
    }
    out.unassigned.push(part);
  }

  private add(out: UnitAssignment, units: string[]): void {
    for (const u of units) if (!out.units.includes(u)) out.units.push(u);
  }

  private merge(out: UnitAssignment, more: UnitAssignment): void {
    this.add(out, more.units);
    out.unassigned.push(...more.unassigned);
  }
}
