import { z } from 'zod';

/** The config file's `wecom` section: the 智能机器人's credentials and, for private deployments, its server. */
export const wecomSection = z
  .strictObject({
    /** the robot's Bot ID (WECOM_BOT_ID) */
    botId: z.string().min(1).optional(),
    /** the robot's Secret (WECOM_BOT_SECRET) */
    secret: z.string().min(1).optional(),
    /** the long-connection address (WECOM_WS_URL); 政务微信 and other private deployments show theirs in the admin console */
    wsUrl: z.string().regex(/^wss?:\/\//, 'a ws:// or wss:// address').optional(),
  })
  .optional();
export type WecomSection = z.infer<typeof wecomSection>;

/** The environment variables that override the section's fields (the environment wins). */
export const wecomEnv = { WECOM_BOT_ID: 'botId', WECOM_BOT_SECRET: 'secret', WECOM_WS_URL: 'wsUrl' } as const;
