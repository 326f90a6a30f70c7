import { z } from 'zod';

/** The config file's `wecom` section: the 智能机器人's credentials and, for private deployments, its server. */
export const wecomSection = z
  .object({
    /** the robot's Bot ID (WECOM_BOT_ID) */
    botId: z.string().min(1).optional(),
    /** the robot's Secret (WECOM_BOT_SECRET) */
    secret: z.string().min(1).optional(),
    /** the long-connection address (WECOM_WS_URL); 政务微信 and other private deployments show theirs in the admin console */
    wsUrl: z.string().regex(/^wss?:\/\//, 'a ws:// or wss:// address').optional(),
  })
  .optional();
export type WecomSection = z.infer<typeof wecomSection>;

/** The environment variables that override the section. */
export type WecomEnv = Partial<Record<'WECOM_BOT_ID' | 'WECOM_BOT_SECRET' | 'WECOM_WS_URL', string>>;

/** The file's section with the environment's settings over it (the environment wins); undefined when neither has any. */
export function wecomFromEnv(section: unknown, env: WecomEnv): object | undefined {
  const fromEnv = {
    ...(env.WECOM_BOT_ID ? { botId: env.WECOM_BOT_ID } : {}),
    ...(env.WECOM_BOT_SECRET ? { secret: env.WECOM_BOT_SECRET } : {}),
    ...(env.WECOM_WS_URL ? { wsUrl: env.WECOM_WS_URL } : {}),
  };
  if (section === undefined && Object.keys(fromEnv).length === 0) return undefined;
  return { ...(section as object), ...fromEnv };
}
