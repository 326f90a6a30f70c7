import { fileURLToPath } from 'node:url';

/** The data files the product ships, for whoever loads them (the CLI, the bot, tests). */
export const seedFiles = {
  plan: fileURLToPath(new URL('./plan/2023-yiyuan-plan.txt', import.meta.url)),
  units: fileURLToPath(new URL('./units.json', import.meta.url)),
  holidays: fileURLToPath(new URL('./holidays.json', import.meta.url)),
};
