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
// 各乡镇人民政府, 各镇, 各街道办事处: the directory's towns (by what their names end with)
const TOWN_GROUP = /^各(乡镇|镇|乡|街道)(人民政府|政府|办事处)?$/;
// 县政府各部门, 县直各部门单位, 市政府各部门 (各科室 in a department's own list): the directory's departments
const DEPARTMENT_GROUP = /^((县|市|区|旗)(政府|直|级)?各(部门|单位|部门单位)|各(科室|处室))$/;
// 县司法局牵头，…具体落实
const LEAD = /^(.+?)牵头[，,](.+?)(具体落实|配合落实|配合)?$/;
// 县审计局等有关部门单位, 县政府办公室及相关部门单位
const NAMED_PLUS = /^(.+?)(等有关|等相关|及相关)(.*)$/;

/** Splits on 、 and ， outside brackets, so 各镇（街道、经济开发区） stays whole. */
export function splitList(cell: string): string[] {
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
  /** dir: the directory it resolves against (plan files sent in chat are read against it too) */
  constructor(readonly dir: UnitDirectory) {
    for (const u of dir.units) this.byName.set(u.name, u.name);
    for (const [alias, name] of Object.entries(dir.aliases)) this.byName.set(alias, name);
  }

  /** Every unit an all-units cell covers; public enterprises only when named. */
  everyone(): string[] {
    return this.dir.units.filter((u) => u.kind !== 'enterprise').map((u) => u.name);
  }

  /** A directory name, an alias, or a town's formal name (南麻街道办事处, 鲁村镇人民政府). */
  lookup(name: string): string | undefined {
    const plain = name.replace(/\s+/g, '');
    return this.byName.get(plain) ?? this.byName.get(plain.replace(/(?<=[镇乡])人民政府$|(?<=街道)办事处$/, ''));
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
    const townGroup = TOWN_GROUP.exec(part);
    const group = townGroup
      ? this.dir.units.filter((u) => u.kind === 'town' && (townGroup[1] === '街道' ? /街道/ : townGroup[1] === '乡镇' ? /[乡镇]$/ : new RegExp(`${townGroup[1]}$`)).test(u.name))
      : DEPARTMENT_GROUP.test(part)
        ? this.dir.units.filter((u) => u.kind === 'department')
        : [];
    // a group the directory has no units for stays listed for the coordinator to assign
    if (group.length) return this.add(out, group.map((u) => u.name));
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

// 县财政局, 桓台县融媒体中心, 索镇, 果里镇人民政府: what a concrete unit's name ends with
const UNIT_NAME = /^[\u4e00-\u9fa5（）()]{1,30}?(局|委员会|委|办公室|办|中心|分中心|公司|集团|政府|办事处|街道|镇|乡|管委会|管理委员会|院|馆|站|所|队|社|联合会|会|行|部|处|科|室|厅|署)$/;
// 各有关单位, 县政府有关部门单位, 相关科室: groups and the unnamed, never a unit
const NOT_A_NAME = /^(各|所有|全|其他|其它)|有关|相关|各|等|牵头|及/;

/** A name that looks like one concrete unit (so an unknown one is worth a warning). */
export const looksLikeUnit = (name: string) => UNIT_NAME.test(name) && !NOT_A_NAME.test(name);

/** A unit's kind guessed from its name, for a directory built from another county's plan. */
export function guessKind(name: string): UnitKind {
  if (/(镇|乡|街道|街道办事处)(人民政府)?$/.test(name)) return 'town';
  if (/(开发区|园区|高新区|管委会|管理委员会)$/.test(name)) return 'zone';
  if (/(公司|集团|银行)$/.test(name)) return 'enterprise';
  return 'department';
}

/** The directory a plan's own unit names make, kinds guessed (a county not yet in seeds/units.json). */
export function directoryFromNames(names: Iterable<string>): UnitDirectory {
  const units = [...new Set(names)].map((name) => ({ name, kind: guessKind(name) }));
  return { aliases: {}, units };
}

const bigrams = (s: string) => new Set(Array.from({ length: Math.max(s.length - 1, 1) }, (_, i) => s.slice(i, i + 2)));

/** Up to `n` directory names closest to an unknown one (shared character pairs, Dice). */
export function closeUnits(name: string, dir: UnitDirectory, n = 3): string[] {
  const a = bigrams(name);
  return dir.units
    .map((u) => {
      const b = bigrams(u.name);
      const shared = [...a].filter((x) => b.has(x)).length;
      return { name: u.name, score: (2 * shared) / (a.size + b.size) };
    })
    .filter((s) => s.score >= 0.3)
    .sort((x, y) => y.score - x.score)
    .slice(0, n)
    .map((s) => s.name);
}
